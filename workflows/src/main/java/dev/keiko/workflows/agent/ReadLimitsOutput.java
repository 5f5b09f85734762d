package dev.keiko.workflows.agent;

import java.util.List;

/**
 * @param limits the agent's limit and whether it is active
 * @param running the task workflows of the agent's tasks that PostgreSQL holds as running, when asked for
 * @param pending requests for the agent's tasks that PostgreSQL holds as pending, first served first, when asked for
 */
public record ReadLimitsOutput(AgentLimits limits, List<String> running, List<SlotRequest> pending) {

    public ReadLimitsOutput {
        running = running == null ? List.of() : List.copyOf(running);
        pending = pending == null ? List.of() : List.copyOf(pending);
    }

    public ReadLimitsOutput(AgentLimits limits) {
        this(limits, List.of(), List.of());
    }
}
