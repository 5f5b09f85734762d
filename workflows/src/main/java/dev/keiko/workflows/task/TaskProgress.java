package dev.keiko.workflows.task;

/**
 * Live progress of a running task.
 *
 * @param status the task status as the workflow sees it: pending, running, completed, failed or cancelled
 * @param step what the task is doing now, for example {@code tool: everything/echo}; null before it starts
 * @param updatedAtMillis workflow time of the last change
 */
public record TaskProgress(String status, String step, long updatedAtMillis) {
}
