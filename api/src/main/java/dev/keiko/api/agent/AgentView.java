package dev.keiko.api.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.agent.AgentDefinition;
import dev.keiko.domain.agent.AgentRetryPolicy;
import dev.keiko.domain.agent.AgentType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An agent as the API shows it. {@code status} is {@code active} or {@code inactive} for now: busy and
 * error come with routing and capacity.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AgentView(
        UUID id,
        String name,
        AgentType type,
        String status,
        List<String> capabilities,
        int timeoutSeconds,
        int maxConcurrentTasks,
        AgentRetryPolicy retryPolicy,
        List<String> tools,
        List<String> approvalRequired,
        String provider,
        String deployment,
        String systemPrompt,
        Integer maxSteps,
        Long maxTokensPerTask,
        UUID createdBy,
        Instant createdAt,
        Instant updatedAt) {

    static AgentView of(Agent agent) {
        AgentDefinition d = agent.definition();
        return new AgentView(agent.id(), d.name(), d.type(), agent.active() ? "active" : "inactive",
                d.capabilities(), d.timeoutSeconds(), d.maxConcurrentTasks(), d.retryPolicy(), d.tools(),
                d.approvalRequired(), d.provider(), d.deployment(), d.systemPrompt(), d.maxSteps(),
                d.maxTokensPerTask(), agent.createdBy(), agent.createdAt(), agent.updatedAt());
    }
}
