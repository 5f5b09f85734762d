package dev.keiko.domain.agent;

import dev.keiko.domain.page.KeysetCursor;
import java.time.Instant;
import java.util.UUID;

/** A registered agent: its definition, whether it takes tasks, and who created it when. */
public record Agent(UUID id, AgentDefinition definition, boolean active, UUID createdBy, Instant createdAt,
        Instant updatedAt) {

    /** Where a newest-first list resumes after this row. */
    public KeysetCursor position() {
        return new KeysetCursor(createdAt, id);
    }
}
