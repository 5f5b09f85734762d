package dev.keiko.activities.mcp;

import dev.keiko.domain.mcp.McpServer;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/** One initialized client of one server, shared by all calls to it until it breaks. */
public final class McpConnection {

    private final McpServer server;
    private final McpAsyncClient client;
    private final SupervisedTransport transport;
    private final ProgressRouter progress;
    private final Consumer<McpConnection> onBroken;
    private final boolean offersTools;

    McpConnection(McpServer server, McpAsyncClient client, McpSchema.ServerCapabilities capabilities,
            SupervisedTransport transport, ProgressRouter progress, Consumer<McpConnection> onBroken) {
        this.server = server;
        // Read once from the initialize answer: the client forgets it when it is closed or starts again, and a call
        // on a connection that another call's failure just closed must fail as a broken connection (retried), not
        // as a server without tools.
        this.offersTools = capabilities != null && capabilities.tools() != null;
        this.client = client;
        this.transport = transport;
        this.progress = progress;
        this.onBroken = onBroken;
    }

    public McpServer server() {
        return server;
    }

    public boolean isAlive() {
        return transport.isAlive();
    }

    /** Whether the server announced tools when it was initialized. */
    public boolean offersTools() {
        return offersTools;
    }

    /**
     * Calls a tool, handing its progress notifications to {@code onProgress}. Cancelling the
     * subscription, or the request timing out, cancels the call on the server too.
     */
    public Mono<CallToolResult> callTool(String tool, Map<String, Object> arguments,
            Consumer<ProgressNotification> onProgress) {
        return Mono.defer(() -> {
            String token = UUID.randomUUID().toString();
            progress.route(token, onProgress);
            McpSchema.CallToolRequest request = McpSchema.CallToolRequest.builder(tool)
                    .arguments(arguments == null ? Map.of() : arguments)
                    .progressToken(token)
                    .build();
            return Mono.firstWithSignal(client.callTool(request), transport.<CallToolResult>failure())
                    .doOnError(error -> {
                        if (hasCause(error, TimeoutException.class)) {
                            transport.cancel(token);
                        }
                    })
                    .doFinally(signal -> {
                        progress.unroute(token);
                        if (signal == SignalType.CANCEL) {
                            transport.cancel(token);
                        } else {
                            transport.forget(token);
                        }
                    });
        }).doOnError(this::discardIfBroken);
    }

    /** All tools of the server, following its pagination. */
    public Mono<List<McpSchema.Tool>> listTools() {
        if (!offersTools()) {
            return Mono.just(List.of());
        }
        return client.listTools(McpSchema.FIRST_PAGE)
                .expand(page -> page.nextCursor() == null || page.nextCursor().isEmpty() ? Mono.empty()
                        : client.listTools(page.nextCursor()))
                .concatMapIterable(page -> page.tools() == null ? List.<McpSchema.Tool>of() : page.tools())
                .collectList()
                .doOnError(this::discardIfBroken);
    }

    public Mono<Boolean> offersTool(String tool) {
        return listTools().map(tools -> tools.stream().anyMatch(candidate -> candidate.name().equals(tool)));
    }

    Mono<Void> close() {
        transport.retire();
        return client.closeGracefully()
                .timeout(Duration.ofSeconds(5))
                .onErrorResume(error -> Mono.fromRunnable(client::close));
    }

    /**
     * An answer from the server, even an error, proves the connection works. Anything else, a
     * request timeout included (the server is wedged), breaks it.
     */
    private void discardIfBroken(Throwable error) {
        if (!isAlive() || !hasCause(error, McpError.class)) {
            onBroken.accept(this);
        }
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
