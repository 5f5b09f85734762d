package dev.keiko.workflows.agent;

/** Maps agent ids to the ids of their slot workflows, so that an agent's line can be found in the Web UI. */
public final class AgentSlotsIds {

    private static final String PREFIX = "agent-slots-";

    private AgentSlotsIds() {
    }

    public static String forAgent(String agentId) {
        return PREFIX + agentId;
    }
}
