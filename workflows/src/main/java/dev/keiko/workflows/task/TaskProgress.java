package dev.keiko.workflows.task;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param queuePlace while a task routed to an agent waits ({@code pending}) for one of its slots, its place in
 *         line, 1 for the next to run; null otherwise, and left out of the JSON then
 * @param queueLength how many tasks wait for the agent with it; null when {@code queuePlace} is
 */
public record TaskProgress(
        String status, String step, long updatedAtMillis, List<AgentStep> steps, int stepCount,
        List<PendingApproval> approvals,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer queuePlace,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer queueLength) {

    /** How many steps progress shows, so that it stays small for long agents; the result holds them all. */
    public static final int RECENT_STEPS = 100;

    public TaskProgress {
        steps = steps == null ? List.of()
                : List.copyOf(steps.size() > RECENT_STEPS ? steps.subList(steps.size() - RECENT_STEPS, steps.size())
                        : steps);
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
    }

    /** The same progress at another place in line, as the agent's slot workflow knows it now. */
    public TaskProgress atPlace(int place, int length) {
        return new TaskProgress(status, step, updatedAtMillis, steps, stepCount, approvals, place, length);
    }

    /** Progress of a task that waits in no line. */
    public TaskProgress(String status, String step, long updatedAtMillis, List<AgentStep> steps, int stepCount,
            List<PendingApproval> approvals) {
        this(status, step, updatedAtMillis, steps, stepCount, approvals, null, null);
    }
}
