package dev.keiko.workflows.task;

/** The work of one task type inside the task workflow. */
interface TaskRunner {

    /**
     * Runs the task (from {@code input}'s checkpoint, if any) and answers how it ended. Throws
     * {@link TaskFailedException} or {@link InvalidParametersException} for a failure of the task itself and
     * lets an activity's failure through.
     */
    TaskOutcome run(TaskWorkflowInput input, long startedAt);

    /** What the run has reported about itself so far, kept for any outcome, even a timeout or a cancellation. */
    default RunMetadata metadata() {
        return RunMetadata.NONE;
    }
}
