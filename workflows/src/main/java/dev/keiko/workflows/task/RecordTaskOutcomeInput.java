package dev.keiko.workflows.task;

/**
 * Records how a task ended.
 *
 * @param status completed, failed or cancelled
 */
public record RecordTaskOutcomeInput(String taskId, String status, TaskResult result, long finishedAtMillis) {
}
