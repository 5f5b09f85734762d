package dev.keiko.domain.task;

import dev.keiko.domain.page.KeysetCursor;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A task as the read model holds it. {@code result} is null until the task ends; {@code agent} is null for a
 * task outside any agent.
 */
public record Task(
        UUID id,
        UUID ownerId,
        String type,
        JsonNode parameters,
        TaskPriority priority,
        int timeoutSeconds,
        TaskStatus status,
        String workflowId,
        String idempotencyKey,
        String requestHash,
        JsonNode result,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        RoutedAgent agent) {

    /** Where a newest-first list resumes after this row. */
    public KeysetCursor position() {
        return new KeysetCursor(createdAt, id);
    }
}
