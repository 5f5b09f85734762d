package dev.keiko.workflows.agent;

/**
 * A task workflow's request for one of its agent's slots.
 *
 * @param taskWorkflowId the task workflow that asks, and is answered by signal
 * @param priorityRank 0 for critical, 1 high, 2 normal, 3 low: lower ranks are served first
 * @param submittedAtMillis when the task was submitted; earlier first within a rank
 */
public record SlotRequest(String taskWorkflowId, int priorityRank, long submittedAtMillis) {
}
