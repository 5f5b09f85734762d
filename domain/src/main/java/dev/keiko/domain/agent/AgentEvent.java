package dev.keiko.domain.agent;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of an agent's audit trail, also published inside the application when it is written.
 *
 * @param actor the user who made the change
 */
public record AgentEvent(long id, UUID agentId, AgentEventType type, UUID actor, Instant at) {
}
