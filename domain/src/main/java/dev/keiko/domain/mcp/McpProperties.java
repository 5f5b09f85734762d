package dev.keiko.domain.mcp;

import dev.keiko.domain.user.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * MCP servers from configuration, {@code keiko.mcp.servers.<name>.*}, beside those registered
 * through the API, and the limits every server is held to.
 *
 * @param toolsCacheTtl how long a server's tool list is cached
 * @param allowedNetworks CIDRs an HTTP server may be reached at although they are inside (loopback,
 *     private, link-local...); none by default
 * @param inheritedEnv the worker's environment variables a stdio server starts with, besides those its
 *     definition names; the MCP SDK adds {@code HOME}, {@code LOGNAME}, {@code PATH}, {@code SHELL},
 *     {@code TERM} and {@code USER} in any case
 * @param maxToolOutput the most text a tool call's output keeps; the rest is cut and the output marked truncated
 * @param knownServerMaxAge while PostgreSQL cannot be reached, how old a server definition a worker last read may be
 *     and still be used to call the server (0 turns this off): a server deleted or restricted within this long
 *     before an outage is still called as it was until the database answers again
 */
@ConfigurationProperties("keiko.mcp")
public record McpProperties(
        Map<String, Server> servers,
        @DefaultValue("60s") Duration toolsCacheTtl,
        List<String> allowedNetworks,
        @DefaultValue({"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER", "LOGNAME", "SHELL", "TERM"})
        List<String> inheritedEnv,
        @DefaultValue("1MB") DataSize maxToolOutput,
        @DefaultValue("1m") Duration knownServerMaxAge) {

    public McpProperties {
        servers = servers == null ? Map.of() : Map.copyOf(servers);
        allowedNetworks = allowedNetworks == null ? List.of() : List.copyOf(allowedNetworks);
        inheritedEnv = inheritedEnv == null ? List.of() : List.copyOf(inheritedEnv);
    }

    /**
     * One configured server: {@code command} and {@code args} for stdio, {@code url} for HTTP;
     * {@code allowed-tools} and {@code allowed-roles} limit what tasks may do with it (unset: all).
     */
    public record Server(
            String transport,
            String command,
            List<String> args,
            Map<String, String> env,
            String url,
            Map<String, String> headers,
            List<String> allowedTools,
            List<String> allowedRoles) {

        McpServer toServer(String name) {
            McpTransport parsed = transport == null ? (url == null ? McpTransport.STDIO : null)
                    : McpTransport.of(transport);
            McpServerPolicy policy = new McpServerPolicy(allowedTools,
                    allowedRoles == null ? null : allowedRoles.stream().map(Role::of).toList());
            return new McpServer(name, parsed, command, args, env, url, headers, McpServer.FROM_CONFIG, policy);
        }
    }
}
