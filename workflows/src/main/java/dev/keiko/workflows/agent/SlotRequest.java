package dev.keiko.workflows.agent;

/**
 * A task workflow's request for one of its agent's slots.
 *
 * @param taskWorkflowId the task workflow that asks, and is answered by signal
 * @param priorityRank 0 for critical, 1 high, 2 normal, 3 low: lower ranks are served first
 * @param submittedAtMillis when the task was submitted; earlier first within a rank
 */
public record SlotRequest(String taskWorkflowId, int priorityRank, long submittedAtMillis) {

    /** Critical 0, high 1, normal 2, low 3: lower ranks are served first; anything else counts as normal. */
    public static int rankOf(String priority) {
        return switch (priority == null ? "normal" : priority) {
            case "critical" -> 0;
            case "high" -> 1;
            case "low" -> 3;
            default -> 2;
        };
    }
}
