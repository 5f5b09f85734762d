package dev.keiko.activities.mcp;

import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpTransportException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Wraps an SDK transport to cancel tool calls on the server and to notice the failures the SDK
 * client only logs.
 *
 * <p>The client forgets a request whose subscriber cancels; MCP wants a {@code
 * notifications/cancelled} naming the JSON-RPC id, which only the transport sees, so outgoing tool
 * calls are remembered by their progress token. A stdio server that cannot start, or exits, fails
 * no request: they would wait for their timeout. And a closed client opens a new session, starting
 * another server process, when a notification (tools changed...) arrives late; a retired transport
 * refuses that.
 */
final class SupervisedTransport implements McpClientTransport {

    static final String METHOD_NOTIFICATION_CANCELLED = "notifications/cancelled";

    private static final Logger log = LoggerFactory.getLogger(SupervisedTransport.class);

    private static final Duration LIVENESS_CHECK_INTERVAL = Duration.ofMillis(250);

    private final String server;
    private final McpClientTransport delegate;
    private final Map<Object, Object> requestIdsByToken = new ConcurrentHashMap<>();
    private final Sinks.One<Void> connectFailure = Sinks.one();
    private volatile boolean retired;

    SupervisedTransport(String server, McpClientTransport delegate) {
        this.server = server;
        this.delegate = delegate;
    }

    @Override
    public Mono<Void> sendMessage(JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCRequest request
                && request.params() instanceof McpSchema.CallToolRequest call && call.progressToken() != null) {
            requestIdsByToken.put(call.progressToken(), request.id());
        }
        return delegate.sendMessage(message);
    }

    /** Tells the server to stop the tool call sent with this progress token, if it was sent. */
    void cancel(Object progressToken) {
        Object requestId = requestIdsByToken.remove(progressToken);
        if (requestId == null) {
            return;
        }
        delegate.sendMessage(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION,
                        METHOD_NOTIFICATION_CANCELLED, Map.of("requestId", requestId, "reason", "cancelled by Keiko")))
                .subscribe(null, error -> log.debug("Could not send the cancellation of request {}", requestId, error));
    }

    void forget(Object progressToken) {
        requestIdsByToken.remove(progressToken);
    }

    /** Fails when the transport could not connect or its server process exited; never completes otherwise. */
    <T> Mono<T> failure() {
        Mono<T> exited = !(delegate instanceof StdioClientTransport) ? Mono.never()
                : Flux.interval(LIVENESS_CHECK_INTERVAL)
                        .filter(tick -> !isAlive())
                        .next()
                        .then(Mono.error(() -> new McpTransportException("MCP server '" + server + "' exited")));
        return Mono.firstWithSignal(connectFailure.asMono().then(Mono.never()), exited);
    }

    /** False once a stdio server's process has exited: its stderr ends with it, which the error sink shows. */
    boolean isAlive() {
        return !(delegate instanceof StdioClientTransport stdio)
                || !Boolean.TRUE.equals(stdio.getErrorSink().scan(Scannable.Attr.TERMINATED));
    }

    /** No session may start on this transport any more. */
    void retire() {
        retired = true;
    }

    @Override
    public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
        if (retired) {
            return Mono.error(new McpTransportException("The client of MCP server '" + server + "' is closed"));
        }
        return delegate.connect(handler).doOnError(connectFailure::tryEmitError);
    }

    @Override
    public void setExceptionHandler(Consumer<Throwable> handler) {
        delegate.setExceptionHandler(handler);
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }

    @Override
    public Mono<Void> closeGracefully() {
        retire();
        return delegate.closeGracefully();
    }

    @Override
    public void close() {
        retire();
        delegate.close();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return delegate.unmarshalFrom(data, typeRef);
    }
}
