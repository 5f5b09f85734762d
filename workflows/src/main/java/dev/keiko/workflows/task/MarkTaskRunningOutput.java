package dev.keiko.workflows.task;

/**
 * Whether this call moved the task to running, and the task's status after it: {@code running},
 * or a final status when the task had already ended (then the workflow must not run its work).
 */
public record MarkTaskRunningOutput(boolean applied, String status) {

    public boolean taskEnded() {
        return status != null && !TaskStatuses.PENDING.equals(status)
                && !TaskStatuses.RUNNING.equals(status);
    }
}
