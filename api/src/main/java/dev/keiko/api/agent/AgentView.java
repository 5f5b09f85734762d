package dev.keiko.api.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.agent.AgentDefinition;
import dev.keiko.domain.agent.AgentLoad;
import dev.keiko.domain.agent.AgentRetryPolicy;
import dev.keiko.domain.agent.AgentType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An agent as the API shows it. {@code status} is derived, never stored: {@code inactive} when it takes no
 * tasks, else {@code error} while it is in error ({@code errorType}, {@code errorSince}), else {@code busy}
 * when its tasks running or awaiting approval fill its {@code maxConcurrentTasks}, else {@code active}. A caller
 * who may not write agents sees neither {@code systemPrompt} (it may hold confidential instructions) nor
 * {@code createdBy}: see {@link #forReaderWithoutWrite()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AgentView(
        UUID id,
        String name,
        AgentType type,
        String status,
        long slotsInUse,
        long tasksWaiting,
        Last24Hours last24Hours,
        String errorType,
        Instant errorSince,
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

    /** The agent's tasks that ended in the last 24 hours, and the tokens they spent. */
    record Last24Hours(long completed, long failed, long tokens) {
    }

    static AgentView of(Agent agent, AgentLoad load) {
        AgentDefinition d = agent.definition();
        return new AgentView(agent.id(), d.name(), d.type(), status(agent, load), load.slotsInUse(),
                load.tasksWaiting(), new Last24Hours(load.completedLast24Hours(), load.failedLast24Hours(),
                        load.tokensLast24Hours()), agent.errorType(), agent.errorSince(),
                d.capabilities(), d.timeoutSeconds(), d.maxConcurrentTasks(), d.retryPolicy(), d.tools(),
                d.approvalRequired(), d.provider(), d.deployment(), d.systemPrompt(), d.maxSteps(),
                d.maxTokensPerTask(), agent.createdBy(), agent.createdAt(), agent.updatedAt());
    }

    /** This view without what only those who may write agents see: the system prompt and who created it. */
    AgentView forReaderWithoutWrite() {
        return new AgentView(id, name, type, status, slotsInUse, tasksWaiting, last24Hours, errorType, errorSince,
                capabilities, timeoutSeconds, maxConcurrentTasks, retryPolicy, tools, approvalRequired, provider,
                deployment, null, maxSteps, maxTokensPerTask, null, createdAt, updatedAt);
    }

    static String status(Agent agent, AgentLoad load) {
        if (!agent.active()) {
            return "inactive";
        }
        if (agent.inError()) {
            return "error";
        }
        return load.slotsInUse() >= agent.definition().maxConcurrentTasks() ? "busy" : "active";
    }
}
