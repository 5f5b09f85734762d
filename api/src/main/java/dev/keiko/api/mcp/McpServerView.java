package dev.keiko.api.mcp;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keiko.domain.mcp.McpServer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An MCP server as the API shows it. Environment and header values often hold secrets, so only
 * their names are shown. {@code transport} is null for an HTTP server that is tried over
 * streamable HTTP first, then SSE.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record McpServerView(
        String name,
        String transport,
        String command,
        List<String> args,
        Map<String, String> env,
        String url,
        Map<String, String> headers,
        String source) {

    private static final String HIDDEN = "******";

    static McpServerView of(McpServer server) {
        return new McpServerView(server.name(), server.transport() == null ? null : server.transport().value(),
                server.command(), server.args(), hide(server.env()), server.url(), hide(server.headers()),
                server.source());
    }

    private static Map<String, String> hide(Map<String, String> values) {
        return values.keySet().stream().collect(Collectors.toMap(key -> key, key -> HIDDEN));
    }
}
