package dev.keiko.api.mcp;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.user.Role;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An MCP server as the API shows it. Environment and header values often hold secrets, so only
 * their names are shown; the URL without its user info and query values, and the arguments without
 * what looks like a secret (see {@link ShownSecrets}). {@code transport} is null for an HTTP server that is tried over
 * streamable HTTP first, then SSE. {@code allowedTools} and {@code allowedRoles} are absent when
 * they allow all.
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
        String source,
        // An empty list allows nothing, unlike an absent one.
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> allowedTools,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> allowedRoles) {

    static McpServerView of(McpServer server) {
        return new McpServerView(server.name(), server.transport() == null ? null : server.transport().value(),
                server.command(), ShownSecrets.args(server.args()), hide(server.env()), ShownSecrets.url(server.url()),
                hide(server.headers()),
                server.source(), server.policy().allowedTools(), server.policy().allowedRoles() == null ? null
                        : server.policy().allowedRoles().stream().map(Role::value).toList());
    }

    private static Map<String, String> hide(Map<String, String> values) {
        return values.keySet().stream().collect(Collectors.toMap(key -> key, key -> ShownSecrets.HIDDEN));
    }
}
