package dev.keiko.workflows.agent;

/**
 * A waiting task's place in its agent's line.
 *
 * @param place 1 for the next task to get a slot
 * @param waiting how many tasks wait in all
 * @param agentActive false while the agent is deactivated: nobody moves until it is activated again
 */
public record QueuePlace(int place, int waiting, boolean agentActive) {
}
