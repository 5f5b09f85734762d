package dev.keiko.domain.task;

import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes task events on PostgreSQL's {@code task_events} channel. Status changes are announced
 * by a trigger on the tasks table; this publishes progress, which has no row of its own.
 */
@Component
public class TaskEvents {

    static final String CHANNEL = "task_events";
    private static final Duration ANNOUNCE_TIMEOUT = Duration.ofMillis(250);
    private static final Logger log = LoggerFactory.getLogger(TaskEvents.class);

    private final DatabaseClient db;
    private final JsonMapper json;

    public TaskEvents(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /**
     * Announces what a step of a running task did, as a progress event, from an activity thread: best
     * effort, bounded in time, never failing the caller; answers whether it went out.
     */
    public boolean announce(String taskId, String message) {
        try {
            publish(new TaskEvent(UUID.fromString(taskId), TaskEvent.PROGRESS, TaskStatus.RUNNING.value(), message,
                    null, null)).block(ANNOUNCE_TIMEOUT);
            return true;
        } catch (RuntimeException e) {
            log.warn("Could not announce a step of task {}: {}", taskId, e.toString());
            return false;
        }
    }

    public Mono<Void> publish(TaskEvent event) {
        return db.sql("SELECT pg_notify(:channel, :payload)")
                .bind("channel", CHANNEL)
                .bind("payload", json.writeValueAsString(event))
                .then();
    }
}
