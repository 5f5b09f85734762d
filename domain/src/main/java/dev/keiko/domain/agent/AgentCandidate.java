package dev.keiko.domain.agent;

/** An active agent that could take a task, with its slots in use (tasks running or awaiting approval). */
public record AgentCandidate(Agent agent, long slotsInUse) {

    public long freeSlots() {
        return agent.definition().maxConcurrentTasks() - slotsInUse;
    }
}
