package dev.keiko.domain.task;

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
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Listens on PostgreSQL's {@code task_events} channel over one dedicated connection and hands every
 * event to all subscribers, so each process sees the changes any other process made. Reconnects
 * with backoff when the connection drops.
 */
public class TaskEventListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskEventListener.class);

    private final Sinks.Many<TaskEvent> sink = Sinks.many().multicast().directBestEffort();
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

    /** Every event from now on; a subscriber that needs the current state reads it after subscribing. */
    public Flux<TaskEvent> events() {
        return sink.asFlux();
    }

    private static Flux<TaskEvent> listen(Connection pooled, JsonMapper json) {
        PostgresqlConnection connection = unwrap(pooled);
        return connection.createStatement("LISTEN " + TaskEvents.CHANNEL).execute()
                .flatMap(result -> result.getRowsUpdated())
                .thenMany(connection.getNotifications())
                .filter(notification -> notification.getParameter() != null)
                .map(notification -> json.readValue(notification.getParameter(), TaskEvent.class));
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
