package dev.keiko.workflows.agent;

/**
 * @param agentId the agent's id
 * @param withLine also read the agent's unfinished tasks, for a slot workflow that starts without a line
 */
public record ReadLimitsInput(String agentId, boolean withLine) {

    public ReadLimitsInput(String agentId) {
        this(agentId, false);
    }
}
