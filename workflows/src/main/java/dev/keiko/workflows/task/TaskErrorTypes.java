package dev.keiko.workflows.task;

/** Error types a task ends with that come from the workflow itself rather than from an activity. */
public final class TaskErrorTypes {

    /** The task ran past its timeout; its in-flight activities were cancelled. */
    public static final String TIMEOUT = "TIMEOUT";

    /** The task was cancelled on request. */
    public static final String CANCELLED = "CANCELLED";

    /** The task's type has no implementation in this workflow version. */
    public static final String UNKNOWN_TASK_TYPE = "UNKNOWN_TASK_TYPE";

    /** The task's parameters do not fit its type. */
    public static final String INVALID_PARAMETERS = "INVALID_PARAMETERS";

    /** An agent reached its {@code maxSteps} model calls without a final answer. */
    public static final String MAX_STEPS = "MAX_STEPS";

    /** The next model call could overrun the task's {@code maxTokens}; it was not made. */
    public static final String BUDGET_EXCEEDED = "BUDGET_EXCEEDED";

    /** The model answered with neither text nor tool calls, so the agent has nothing to go on. */
    public static final String INVALID_MODEL_OUTPUT = "INVALID_MODEL_OUTPUT";

    /**
     * A payload the task needs cannot be read: it was offloaded to PostgreSQL and its row is gone (for
     * example past {@code keiko.payloads.retention}) or unreadable.
     */
    public static final String PAYLOAD_MISSING = "PAYLOAD_MISSING";

    /** The agent the task was routed to was deleted before the task got one of its slots. */
    public static final String AGENT_DELETED = "AGENT_DELETED";

    /**
     * The task's workflow ended without recording an outcome (terminated or reset from outside); recorded by
     * whoever notices first: the API's repair, or the slot workflow of the task's agent.
     */
    public static final String WORKFLOW_ENDED = "WORKFLOW_ENDED";

    /** An activity failed in a way that carries no type of its own (for example its own timeout). */
    public static final String ACTIVITY_FAILED = "ACTIVITY_FAILED";

    private TaskErrorTypes() {
    }
}
