package dev.keiko.activities.mcp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the in-JVM server received, seen by a servlet filter in front of it: the SDK's server has no
 * hook for {@code notifications/cancelled}. Requests are told apart by their {@value #CLIENT_HEADER}
 * header. Refuses requests that bring a wrong bearer token.
 */
public final class McpTraffic implements Filter {

    public static final String TOKEN = "Bearer secret";
    public static final String CLIENT_HEADER = "X-Keiko-Test-Client";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One HTTP request; {@code rpcMethod} is null for GETs and DELETEs. */
    public record Request(String client, String httpMethod, String path, String rpcMethod, String authorization) {
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<Object, String> toolCallIds = new ConcurrentHashMap<>();
    private final List<Object> cancelledIds = new CopyOnWriteArrayList<>();
    private final Sinks.Many<Object> cancellations = Sinks.many().multicast().directBestEffort();

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        String authorization = request.getHeader("Authorization");
        byte[] body = request.getInputStream().readAllBytes();
        Map<?, ?> message = body.length == 0 ? Map.of() : JSON.readValue(body, Map.class);
        requests.add(new Request(request.getHeader(CLIENT_HEADER), request.getMethod(), request.getRequestURI(),
                (String) message.get("method"), authorization));
        if (authorization != null && !authorization.equals(TOKEN)) {
            ((HttpServletResponse) servletResponse).sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        record(message);
        chain.doFilter(new ReplayedBody(request, body), servletResponse);
    }

    private void record(Map<?, ?> message) {
        Object method = message.get("method");
        if ("tools/call".equals(method)) {
            toolCallIds.put(message.get("id"), String.valueOf(((Map<?, ?>) message.get("params")).get("name")));
        }
        if (SupervisedTransport.METHOD_NOTIFICATION_CANCELLED.equals(method)) {
            Object id = ((Map<?, ?>) message.get("params")).get("requestId");
            cancelledIds.add(id);
            cancellations.tryEmitNext(id);
        }
    }

    /** The requests of the client that sent that {@value #CLIENT_HEADER}. */
    public List<Request> requests(String client) {
        return requests.stream().filter(request -> client.equals(request.client())).toList();
    }

    public long count(String client, String rpcMethod) {
        return requests(client).stream().filter(request -> rpcMethod.equals(request.rpcMethod())).count();
    }

    /** The JSON-RPC ids of the calls of that tool. */
    public List<Object> toolCallIds(String tool) {
        return toolCallIds.entrySet().stream().filter(entry -> entry.getValue().equals(tool))
                .map(Map.Entry::getKey).toList();
    }

    public List<Object> cancelledIds() {
        return List.copyOf(cancelledIds);
    }

    /** Cancellations from now on. */
    Flux<Object> cancellations() {
        return cancellations.asFlux();
    }

    private static final class ReplayedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReplayedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream bytes = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return bytes.read();
                }

                @Override
                public boolean isFinished() {
                    return bytes.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("blocking reads only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
