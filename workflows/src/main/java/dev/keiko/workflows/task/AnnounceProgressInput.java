package dev.keiko.workflows.task;

/**
 * A step of a running task to show on its event stream.
 *
 * @param taskId the task's id
 * @param message what happened, for example {@code approval: everything/echo waits for a decision on step1-1 (tool call call_1)}
 */
public record AnnounceProgressInput(String taskId, String message) {
}
