package dev.keiko.workflows.task;

import java.util.List;

/**
 * Live progress of a running task.
 *
 * @param status the task status as the workflow sees it: pending, running, completed, failed or cancelled
 * @param step what the task is doing now, for example {@code tool: everything/echo}; null before it starts
 * @param updatedAtMillis workflow time of the last change
 * @param steps the latest {@link #RECENT_STEPS} steps an agent task has taken; empty for other types
 * @param stepCount how many steps the task has taken in all
 * @param approvals the tool calls waiting for approval; while there are any the status is {@code awaiting_approval}
 */
public record TaskProgress(
        String status, String step, long updatedAtMillis, List<AgentStep> steps, int stepCount,
        List<PendingApproval> approvals) {

    /** How many steps progress shows, so that it stays small for long agents; the result holds them all. */
    public static final int RECENT_STEPS = 100;

    public TaskProgress {
        steps = steps == null ? List.of()
                : List.copyOf(steps.size() > RECENT_STEPS ? steps.subList(steps.size() - RECENT_STEPS, steps.size())
                        : steps);
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
    }
}
