package dev.keiko.activities.mcp;

import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/** Hands each progress notification of a shared client to the call that sent its progress token. */
final class ProgressRouter {

    private final Map<Object, Consumer<ProgressNotification>> listeners = new ConcurrentHashMap<>();

    void route(Object progressToken, Consumer<ProgressNotification> listener) {
        listeners.put(progressToken, listener);
    }

    void unroute(Object progressToken) {
        listeners.remove(progressToken);
    }

    Mono<Void> deliver(ProgressNotification notification) {
        return Mono.fromRunnable(() -> {
            Consumer<ProgressNotification> listener = listeners.get(notification.progressToken());
            if (listener != null) {
                listener.accept(notification);
            }
        });
    }
}
