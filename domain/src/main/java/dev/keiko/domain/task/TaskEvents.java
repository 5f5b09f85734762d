package dev.keiko.domain.task;

import dev.keiko.domain.task.event.TaskEventLog;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Announces what the steps of running tasks do, as progress events in the task's event log, from activity threads:
 * best effort, bounded in time, never failing the caller. Status changes are appended by triggers on the tasks table.
 */
@Component
public class TaskEvents {

    /** The PostgreSQL channel on which the log announces each new event, by task id and sequence number. */
    public static final String CHANNEL = "task_events";
    private static final Duration ANNOUNCE_TIMEOUT = Duration.ofMillis(250);
    private static final Logger log = LoggerFactory.getLogger(TaskEvents.class);

    private final TaskEventLog events;

    public TaskEvents(TaskEventLog events) {
        this.events = events;
    }

    /** Announces what a step of a running task did; answers whether it was stored. */
    public boolean announce(String taskId, String message) {
        try {
            return announce(UUID.fromString(taskId), message, null, null);
        } catch (IllegalArgumentException e) {
            log.warn("Could not announce a step of task '{}': not a task id", taskId);
            return false;
        }
    }

    /**
     * Announces how far a step of a running task is, with the numbers the work reported (either may be null);
     * answers whether it was stored.
     */
    public boolean announce(UUID taskId, String message, Double progress, Double total) {
        try {
            events.appendProgress(taskId, message, progress, total).block(ANNOUNCE_TIMEOUT);
            return true;
        } catch (RuntimeException e) {
            log.warn("Could not announce a step of task {}: {}", taskId, e.toString());
            return false;
        }
    }
}
