package dev.keiko.domain.task;

import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** A task to insert; the store assigns its id, workflow id and creation time. */
public record NewTask(
        UUID ownerId,
        String type,
        JsonNode parameters,
        TaskPriority priority,
        int timeoutSeconds,
        String idempotencyKey,
        String requestHash) {
}
