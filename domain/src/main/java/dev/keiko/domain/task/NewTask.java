package dev.keiko.domain.task;

import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A task to insert; the store assigns its id, workflow id and creation time.
 *
 * @param agent the agent the task was routed to; null for a task outside any agent
 */
public record NewTask(
        UUID ownerId,
        String type,
        JsonNode parameters,
        TaskPriority priority,
        int timeoutSeconds,
        String idempotencyKey,
        String requestHash,
        RoutedAgent agent) {

    /** A task outside any agent. */
    public NewTask(UUID ownerId, String type, JsonNode parameters, TaskPriority priority, int timeoutSeconds,
            String idempotencyKey, String requestHash) {
        this(ownerId, type, parameters, priority, timeoutSeconds, idempotencyKey, requestHash, null);
    }
}
