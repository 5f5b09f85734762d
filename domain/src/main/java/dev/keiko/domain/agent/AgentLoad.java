package dev.keiko.domain.agent;

/**
 * What an agent is doing, counted from its tasks in PostgreSQL.
 *
 * @param slotsInUse its tasks running (awaiting approval included)
 * @param tasksWaiting its pending tasks, waiting for a slot or their workflow
 * @param completedLast24Hours its tasks completed in the last 24 hours
 * @param failedLast24Hours its tasks failed in the last 24 hours
 * @param tokensLast24Hours the tokens its tasks that ended in the last 24 hours spent
 */
public record AgentLoad(long slotsInUse, long tasksWaiting, long completedLast24Hours, long failedLast24Hours,
        long tokensLast24Hours) {

    public static final AgentLoad IDLE = new AgentLoad(0, 0, 0, 0, 0);
}
