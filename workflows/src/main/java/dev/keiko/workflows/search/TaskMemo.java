package dev.keiko.workflows.search;

import java.util.Map;

/**
 * The memo of a task workflow, shown by the Temporal Web UI: the task's id and its submitter's user id
 * (never a name or an e-mail address).
 */
public final class TaskMemo {

    public static final String TASK_ID = "taskId";
    public static final String OWNER_ID = "ownerId";

    private TaskMemo() {
    }

    public static Map<String, Object> of(String taskId, String ownerId) {
        return Map.of(TASK_ID, taskId, OWNER_ID, ownerId);
    }
}
