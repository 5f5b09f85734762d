package dev.keiko.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One client of a task's event stream ({@code GET /api/v1/tasks/{id}/events} from the start) that notes when each
 * event arrived, until the stream ends after the task's final status. Reactor hands it one event at a time, and its
 * receipts are read once {@link #ended} has completed.
 */
final class EventWatcher {

    /** An event as it arrived: {@code seq} is 0 for events without an id ({@code behind}, {@code closed}). */
    record Receipt(String event, long seq, long arrivedAt, String data) {

        /** The {@code text} of a text event's data, which the benchmark writes without characters to escape. */
        String text() {
            int start = data.indexOf("\"text\":\"") + 8;
            return data.substring(start, data.indexOf('"', start));
        }
    }

    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS =
            new ParameterizedTypeReference<>() { };

    private final UUID taskId;
    private final List<Receipt> receipts = new ArrayList<>();
    private final CompletableFuture<Long> connected = new CompletableFuture<>();
    private final CompletableFuture<List<Receipt>> ended = new CompletableFuture<>();

    private EventWatcher(UUID taskId) {
        this.taskId = taskId;
    }

    UUID taskId() {
        return taskId;
    }

    static EventWatcher watch(WebClient client, DevSystem.TestUser user, UUID taskId) {
        EventWatcher watcher = new EventWatcher(taskId);
        client.get().uri("/api/v1/tasks/{id}/events", taskId)
                .header(HttpHeaders.AUTHORIZATION, user.bearer())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve().bodyToFlux(EVENTS)
                .subscribe(watcher::arrived, watcher.ended::completeExceptionally,
                        () -> watcher.ended.complete(watcher.receipts));
        return watcher;
    }

    private void arrived(ServerSentEvent<String> event) {
        long now = System.nanoTime();
        if (event.event() == null) {
            return; // a keep-alive comment
        }
        receipts.add(new Receipt(event.event(), event.id() == null ? 0 : Long.parseLong(event.id()), now,
                event.data() == null ? "" : event.data()));
        connected.complete(now);
    }

    /** When its first event (the task's first status) arrived, waiting up to {@code timeout} for it. */
    long connectedAt(Duration timeout) throws Exception {
        return connected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every event it received, once the stream has ended, waiting up to {@code timeout} for that. */
    List<Receipt> ended(Duration timeout) throws Exception {
        return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
