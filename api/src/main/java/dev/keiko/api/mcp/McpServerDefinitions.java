package dev.keiko.api.mcp;

import dev.keiko.api.problem.Problems;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpTransport;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/** Turns a registration request into a server definition, or a 400 that says what does not fit. */
final class McpServerDefinitions {

    private McpServerDefinitions() {
    }

    static McpServer toServer(McpServerRequest request) {
        McpTransport transport;
        try {
            transport = request.transport() == null ? null : McpTransport.of(request.transport());
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(e.getMessage());
        }
        boolean hasCommand = request.command() != null && !request.command().isBlank();
        boolean hasUrl = request.url() != null && !request.url().isBlank();
        if (hasCommand == hasUrl) {
            throw Problems.badRequest("Give either 'command' (a stdio server) or 'url' (an HTTP server), not both");
        }
        if (transport == McpTransport.STDIO && !hasCommand) {
            throw Problems.badRequest("A stdio server needs 'command'");
        }
        if (transport != null && transport.isHttp() && !hasUrl) {
            throw Problems.badRequest("A " + transport.value() + " server needs 'url'");
        }
        if (hasUrl) {
            checkUrl(request.url());
        }
        if (request.args() != null && request.args().contains(null)) {
            throw Problems.badRequest("'args' must not contain null");
        }
        checkEntries("env", request.env());
        checkEntries("headers", request.headers());
        McpTransport resolved = transport == null && hasCommand ? McpTransport.STDIO : transport;
        return new McpServer(request.name(), resolved, hasCommand ? request.command() : null, request.args(),
                request.env(), hasUrl ? request.url() : null, request.headers(), McpServer.FROM_API);
    }

    private static void checkEntries(String field, Map<String, String> entries) {
        if (entries != null && entries.entrySet().stream()
                .anyMatch(entry -> entry.getKey() == null || entry.getKey().isBlank() || entry.getValue() == null)) {
            throw Problems.badRequest("'" + field + "' must map names to strings, without nulls or blank names");
        }
    }

    private static void checkUrl(String url) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw Problems.badRequest("'url' must be an absolute http or https URL; got '" + url + "'");
            }
        } catch (URISyntaxException e) {
            throw Problems.badRequest("'url' is not a valid URL: " + e.getMessage());
        }
    }
}
