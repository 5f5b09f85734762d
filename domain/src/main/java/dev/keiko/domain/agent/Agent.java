package dev.keiko.domain.agent;

import dev.keiko.domain.page.KeysetCursor;
import java.time.Instant;
import java.util.UUID;

/**
 * A registered agent: its definition, whether it takes tasks, who created it when, and since when it is in
 * error, with the failure type that put it there ({@code errorType} and {@code errorSince} null when healthy).
 */
public record Agent(UUID id, AgentDefinition definition, boolean active, UUID createdBy, Instant createdAt,
        Instant updatedAt, String errorType, Instant errorSince) {

    /** Where a newest-first list resumes after this row. */
    public KeysetCursor position() {
        return new KeysetCursor(createdAt, id);
    }

    public boolean inError() {
        return errorSince != null;
    }
}
