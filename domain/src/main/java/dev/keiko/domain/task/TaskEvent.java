package dev.keiko.domain.task;

import java.util.UUID;

/**
 * A change to a task, announced on PostgreSQL's {@code task_events} channel.
 *
 * @param kind {@code status} for a status change, {@code progress} for progress within a status
 * @param status the task's status after the change
 * @param message what progressed, for progress events; null for status changes
 * @param progress how far the work is, when the work reports it (for example MCP progress), else null
 * @param total the amount {@code progress} counts towards, when known, else null
 */
public record TaskEvent(UUID taskId, String kind, String status, String message, Double progress, Double total) {

    public static final String STATUS = "status";
    public static final String PROGRESS = "progress";
}
