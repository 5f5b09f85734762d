package dev.keiko.workflows.agent;

/**
 * How many slots an agent has and whether it hands them out, as PostgreSQL holds it now.
 *
 * @param found false once the agent is deleted; its slot workflow then hands out nothing and ends when empty
 */
public record AgentLimits(boolean found, boolean active, int maxConcurrentTasks) {

    /** Before the first read. */
    public static final AgentLimits UNKNOWN = new AgentLimits(true, false, 0);
}
