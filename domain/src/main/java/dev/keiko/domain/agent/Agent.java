package dev.keiko.domain.agent;

import java.time.Instant;
import java.util.UUID;

/** A registered agent: its definition, whether it takes tasks, and who created it when. */
public record Agent(UUID id, AgentDefinition definition, boolean active, UUID createdBy, Instant createdAt,
        Instant updatedAt) {
}
