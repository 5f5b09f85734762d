package dev.keiko.workflows.agent;

/**
 * The slot workflow's answer to a task workflow: a slot, or a refusal because the agent no longer exists.
 *
 * @param agentId the agent whose slot this is
 * @param granted true when the task holds a slot now
 */
public record SlotAnswer(String agentId, boolean granted) {
}
