package dev.keiko.domain.mcp;

import java.util.List;
import java.util.Map;

/**
 * How to reach one MCP server: a command to run over stdio, or a URL over HTTP. {@code transport}
 * is null for an HTTP server registered without one: it is tried over streamable HTTP first, then SSE.
 *
 * @param source {@code config} for servers from {@code keiko.mcp.servers}, {@code api} for registered ones
 * @param policy which tools tasks may call and which roles may use the server
 */
public record McpServer(
        String name,
        McpTransport transport,
        String command,
        List<String> args,
        Map<String, String> env,
        String url,
        Map<String, String> headers,
        String source,
        McpServerPolicy policy) {

    public static final String FROM_CONFIG = "config";
    public static final String FROM_API = "api";

    public McpServer {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        policy = policy == null ? McpServerPolicy.OPEN : policy;
    }

    /** A server every task may use with all its tools. */
    public McpServer(String name, McpTransport transport, String command, List<String> args, Map<String, String> env,
            String url, Map<String, String> headers, String source) {
        this(name, transport, command, args, env, url, headers, source, McpServerPolicy.OPEN);
    }

    public McpServer withTransport(McpTransport newTransport) {
        return new McpServer(name, newTransport, command, args, env, url, headers, source, policy);
    }

    public McpServer withPolicy(McpServerPolicy newPolicy) {
        return new McpServer(name, transport, command, args, env, url, headers, source, newPolicy);
    }

    public boolean isStdio() {
        return transport == McpTransport.STDIO || (transport == null && command != null && url == null);
    }
}
