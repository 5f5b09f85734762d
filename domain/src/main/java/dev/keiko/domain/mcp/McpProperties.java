package dev.keiko.domain.mcp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * MCP servers from configuration, {@code keiko.mcp.servers.<name>.*}, beside those registered
 * through the API.
 *
 * @param toolsCacheTtl how long a server's tool list is cached
 */
@ConfigurationProperties("keiko.mcp")
public record McpProperties(Map<String, Server> servers, @DefaultValue("60s") Duration toolsCacheTtl) {

    public McpProperties {
        servers = servers == null ? Map.of() : Map.copyOf(servers);
    }

    /** One configured server: {@code command} and {@code args} for stdio, {@code url} for HTTP. */
    public record Server(
            String transport,
            String command,
            List<String> args,
            Map<String, String> env,
            String url,
            Map<String, String> headers) {

        McpServer toServer(String name) {
            McpTransport parsed = transport == null ? (url == null ? McpTransport.STDIO : null)
                    : McpTransport.of(transport);
            return new McpServer(name, parsed, command, args, env, url, headers, McpServer.FROM_CONFIG);
        }
    }
}
