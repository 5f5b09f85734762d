package dev.keiko.workflows.task;

/** The names of a task's statuses, as its progress, its read model row and the API show them. */
public final class TaskStatuses {

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    /** Running, with at least one tool call waiting for a person's decision. */
    public static final String AWAITING_APPROVAL = "awaiting_approval";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    private TaskStatuses() {
    }
}
