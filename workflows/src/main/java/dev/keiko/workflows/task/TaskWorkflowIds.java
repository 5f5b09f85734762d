package dev.keiko.workflows.task;

import java.util.Optional;

/** Maps task ids to workflow ids, so a task can be found in the Temporal Web UI from its id alone. */
public final class TaskWorkflowIds {

    private static final String PREFIX = "task-";

    private TaskWorkflowIds() {
    }

    public static String forTask(String taskId) {
        return PREFIX + taskId;
    }

    /** The task id of a task workflow's id; empty for any other workflow id. */
    public static Optional<String> taskId(String workflowId) {
        return workflowId.startsWith(PREFIX) ? Optional.of(workflowId.substring(PREFIX.length())) : Optional.empty();
    }
}
