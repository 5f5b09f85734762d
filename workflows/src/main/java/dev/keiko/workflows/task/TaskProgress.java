package dev.keiko.workflows.task;

import java.util.List;

/**
 * Live progress of a running task.
 *
 * @param status the task status as the workflow sees it: pending, running, completed, failed or cancelled
 * @param step what the task is doing now, for example {@code tool: everything/echo}; null before it starts
 * @param updatedAtMillis workflow time of the last change
 * @param steps the steps an agent task has taken so far; empty for other types
 * @param approvals the tool calls waiting for approval; while there are any the status is {@code awaiting_approval}
 */
public record TaskProgress(
        String status, String step, long updatedAtMillis, List<AgentStep> steps, List<PendingApproval> approvals) {

    public TaskProgress {
        steps = steps == null ? List.of() : List.copyOf(steps);
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
    }
}
