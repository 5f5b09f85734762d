package dev.keiko.workflows;

/** Names of the Temporal task queues that Keiko's workers poll. */
public final class TaskQueues {

    /** The queue of task workflows and their activities. */
    public static final String TASKS = "keiko-tasks";

    /**
     * The queue of short lookups the API waits on (an MCP server's tools), kept apart so that a backlog of
     * tasks does not hold them up.
     */
    public static final String CONTROL = "keiko-control";

    private TaskQueues() {
    }
}
