package dev.keiko.workflows.task;

import java.util.Map;

/**
 * The result stored with a task.
 *
 * @param success whether the task completed
 * @param data what the task produced, as JSON-like maps and lists; for a task cancelled while a model call
 *     answered, the {@link PartialAnswer} the call had written; null for any other failure
 * @param errorMessage why the task failed or was cancelled; null on success
 * @param errorType a stable name for the failure, one of {@link TaskErrorTypes} or an activity's failure type
 * @param executionTimeSeconds the time from the workflow's start to its outcome
 * @param metadata facts about the run, such as the MCP server and tool
 */
public record TaskResult(
        boolean success,
        Object data,
        String errorMessage,
        String errorType,
        double executionTimeSeconds,
        Map<String, Object> metadata) {

    public static TaskResult success(Object data, double executionTimeSeconds, Map<String, Object> metadata) {
        return new TaskResult(true, data, null, null, executionTimeSeconds, metadata);
    }

    public static TaskResult failure(
            String errorType, String errorMessage, double executionTimeSeconds, Map<String, Object> metadata) {
        return new TaskResult(false, null, errorMessage, errorType, executionTimeSeconds, metadata);
    }
}
