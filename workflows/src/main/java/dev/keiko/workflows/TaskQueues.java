package dev.keiko.workflows;

/** Names of the Temporal task queues that Keiko's workers poll. */
public final class TaskQueues {

    /** The queue of task workflows and their activities. */
    public static final String TASKS = "keiko-tasks";

    private TaskQueues() {
    }
}
