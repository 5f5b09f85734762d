package dev.keiko.activities.mcp;

import dev.keiko.domain.mcp.AddressNotAllowedException;
import dev.keiko.domain.mcp.McpNetworkGuard;
import io.modelcontextprotocol.client.transport.customizer.McpAsyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Checks every HTTP request of one server before it is sent, and adds the server's headers. The
 * JDK client resolves the host again whenever it opens a TCP connection, so a check made once at
 * connect time would let a name that later points inside (DNS rebinding) through; here the target
 * is resolved and checked on each request, reading the same JVM DNS cache the client's connect reads
 * a moment later. A request to any other origin than the registered one (an SSE message endpoint
 * elsewhere) is refused.
 *
 * <p>The lookup blocks, so it runs on {@link Schedulers#boundedElastic()}: the SDK customizes a request
 * on whatever thread asks for it, and for a reconnect that is often the one that completed the previous
 * response, the HTTP client's own executor.
 */
final class GuardedRequests implements McpAsyncHttpClientRequestCustomizer {

    private final String server;
    private final URI origin;
    private final McpNetworkGuard guard;
    private final Map<String, String> headers;

    GuardedRequests(String server, URI origin, McpNetworkGuard guard, Map<String, String> headers) {
        this.server = server;
        this.origin = origin;
        this.guard = guard;
        this.headers = headers;
    }

    @Override
    public Publisher<HttpRequest.Builder> customize(HttpRequest.Builder request, String method, URI uri, String body,
            McpTransportContext context) {
        return Mono.fromCallable(() -> checked(request, uri)).subscribeOn(Schedulers.boundedElastic());
    }

    private HttpRequest.Builder checked(HttpRequest.Builder request, URI uri) {
        if (!sameOrigin(uri)) {
            throw new AddressNotAllowedException("MCP server '" + server
                    + "' asked for a request outside its registered URL's origin");
        }
        try {
            guard.check(uri);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException("MCP server '" + server + "' has a host name that does not resolve", e);
        }
        headers.forEach(request::setHeader);
        return request;
    }

    private boolean sameOrigin(URI uri) {
        return uri.getScheme() != null && uri.getScheme().equalsIgnoreCase(origin.getScheme())
                && uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(origin.getRawAuthority());
    }
}
