package dev.keiko.domain.task;

import dev.keiko.domain.task.event.TaskEventNotice;
import io.r2dbc.postgresql.api.Notification;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.SynchronousSink;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Listens on PostgreSQL's {@code task_events} channel over one dedicated connection and hands every
 * notice (a task id and the sequence number of its new event) to all subscribers, so each process learns of
 * the events any other process appended; subscribers read the events from {@code TaskEventLog}. Reconnects
 * with backoff when the connection drops: notices sent meanwhile are lost, so readers also look now and then.
 */
public class TaskEventListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskEventListener.class);

    private final Sinks.Many<TaskEventNotice> sink = Sinks.many().multicast().directBestEffort();
    private final Disposable subscription;

    public TaskEventListener(ConnectionFactory connections, JsonMapper json) {
        this.subscription = Flux.usingWhen(
                        Mono.from(connections.create()),
                        connection -> listen(connection, json),
                        Connection::close)
                .doOnError(e -> log.warn("Task event listener lost its connection: {}", e.toString()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)))
                // Best effort: a subscriber without demand misses the event rather than failing the sink for all.
                .subscribe(event -> sink.tryEmitNext(event));
    }

    /** Every notice from now on; a subscriber that needs the current state reads it after subscribing. */
    public Flux<TaskEventNotice> notices() {
        return sink.asFlux();
    }

    private static Flux<TaskEventNotice> listen(Connection pooled, JsonMapper json) {
        PostgresqlConnection connection = unwrap(pooled);
        return connection.createStatement("LISTEN " + TaskEvents.CHANNEL).execute()
                .flatMap(result -> result.getRowsUpdated())
                .thenMany(connection.getNotifications())
                .handle((notification, next) -> notice(notification, json, next));
    }

    private static void notice(Notification notification, JsonMapper json,
            SynchronousSink<TaskEventNotice> next) {
        String payload = notification.getParameter();
        try {
            TaskEventNotice notice = payload == null ? null : json.readValue(payload, TaskEventNotice.class);
            if (notice != null && notice.taskId() != null) {
                next.next(notice);
            }
        } catch (RuntimeException e) {
            log.warn("Ignored a task event notice that is not one: {}", e.toString());
        }
    }

    private static PostgresqlConnection unwrap(Connection connection) {
        Object current = connection;
        while (!(current instanceof PostgresqlConnection) && current instanceof Wrapped<?> wrapped) {
            current = wrapped.unwrap();
        }
        if (current instanceof PostgresqlConnection postgres) {
            return postgres;
        }
        throw new IllegalStateException("Task events need a PostgreSQL connection, got " + connection.getClass());
    }

    @Override
    public void close() {
        subscription.dispose();
    }
}
