package dev.keiko.activities.mcp;

import dev.keiko.domain.mcp.McpNetworkGuard;
import dev.keiko.domain.mcp.McpProperties;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpTransport;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.client.transport.customizer.McpAsyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the SDK transport that reaches a server as its definition says. */
final class McpTransports {

    private static final Logger log = LoggerFactory.getLogger(McpTransports.class);

    private final McpJsonMapper json;
    private final List<String> inheritedEnv;
    private final McpNetworkGuard guard;

    McpTransports(McpJsonMapper json, McpProperties properties) {
        this.json = json;
        this.inheritedEnv = properties.inheritedEnv();
        this.guard = new McpNetworkGuard(properties.allowedNetworks());
    }

    /** The transports to try in order: an HTTP server without a declared transport may speak either. */
    static List<McpTransport> candidates(McpServer server) {
        if (server.transport() != null) {
            return List.of(server.transport());
        }
        return server.isStdio() ? List.of(McpTransport.STDIO) : List.of(McpTransport.STREAMABLE_HTTP, McpTransport.SSE);
    }

    McpClientTransport create(McpServer server, McpTransport kind) {
        return switch (kind) {
            case STDIO -> stdio(server);
            case STREAMABLE_HTTP -> {
                Endpoint endpoint = checked(server);
                yield HttpClientStreamableHttpTransport.builder(endpoint.base())
                        .endpoint(endpoint.path())
                        .jsonMapper(json)
                        .customizeClient(McpTransports::noRedirects)
                        .addAsyncHttpRequestCustomizer(guarded(server, endpoint))
                        .build();
            }
            case SSE -> sse(server);
        };
    }

    // The MCP specification replaced SSE with streamable HTTP, but servers that only speak SSE remain.
    @SuppressWarnings("deprecation")
    private McpClientTransport sse(McpServer server) {
        Endpoint endpoint = checked(server);
        return HttpClientSseClientTransport.builder(endpoint.base())
                .sseEndpoint(endpoint.path())
                .customizeClient(McpTransports::noRedirects)
                .jsonMapper(json)
                .addAsyncHttpRequestCustomizer(guarded(server, endpoint))
                .build();
    }

    private StdioClientTransport stdio(McpServer server) {
        if (server.command() == null || server.command().isBlank()) {
            throw new InvalidServerException("MCP server '" + server.name() + "' has no command to run");
        }
        StdioClientTransport transport = new IsolatedStdioTransport(ServerParameters.builder(server.command())
                .args(server.args())
                .env(server.env())
                .build(), json, inheritedEnv);
        // Server diagnostics may quote tool arguments, so they stay at debug level.
        transport.setStdErrorHandler(line -> log.debug("MCP server '{}' stderr: {}", server.name(), line));
        return transport;
    }

    /**
     * The endpoint, once its host resolves only to addresses Keiko may reach: checked on every
     * (re)connect, and again before every request by {@link GuardedRequests}.
     */
    private Endpoint checked(McpServer server) {
        Endpoint endpoint = Endpoint.of(server);
        try {
            guard.check(URI.create(server.url()));
        } catch (UnknownHostException e) {
            throw new UncheckedIOException("MCP server '" + server.name() + "' has a host name that does not resolve",
                    e);
        }
        return endpoint;
    }

    // The JDK client follows none by default; a redirect could lead to an address the guard never saw.
    private static void noRedirects(HttpClient.Builder client) {
        client.followRedirects(HttpClient.Redirect.NEVER);
    }

    private McpAsyncHttpClientRequestCustomizer guarded(McpServer server, Endpoint endpoint) {
        return new GuardedRequests(server.name(), URI.create(endpoint.base()), guard,
                server.headers() == null ? Map.of() : Map.copyOf(server.headers()));
    }

    /** The SDK wants the scheme and authority apart from the endpoint's path. */
    private record Endpoint(String base, String path) {

        static Endpoint of(McpServer server) {
            if (server.url() == null || server.url().isBlank()) {
                throw new InvalidServerException("MCP server '" + server.name() + "' has no URL");
            }
            try {
                URI uri = new URI(server.url());
                if (uri.getScheme() == null || uri.getRawAuthority() == null
                        || !List.of("http", "https").contains(uri.getScheme().toLowerCase())) {
                    throw new InvalidServerException("MCP server '" + server.name() + "' needs an http(s) URL");
                }
                String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
                return new Endpoint(uri.getScheme() + "://" + uri.getRawAuthority(), path + query);
            } catch (URISyntaxException e) {
                throw new InvalidServerException("MCP server '" + server.name() + "' has a malformed URL", e);
            }
        }
    }
}
