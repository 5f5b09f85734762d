package dev.keiko.workflows.task;

/** Maps task ids to workflow ids, so a task can be found in the Temporal Web UI from its id alone. */
public final class TaskWorkflowIds {

    private static final String PREFIX = "task-";

    private TaskWorkflowIds() {
    }

    public static String forTask(String taskId) {
        return PREFIX + taskId;
    }
}
