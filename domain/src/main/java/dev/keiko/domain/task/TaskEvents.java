package dev.keiko.domain.task;

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

    private final DatabaseClient db;
    private final JsonMapper json;

    public TaskEvents(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    public Mono<Void> publish(TaskEvent event) {
        return db.sql("SELECT pg_notify(:channel, :payload)")
                .bind("channel", CHANNEL)
                .bind("payload", json.writeValueAsString(event))
                .then();
    }
}
