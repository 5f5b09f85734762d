package dev.keiko.workflows.task;

/** Where a {@link TaskRunner} tells the workflow what it is doing, for the task's live progress. */
interface StepListener {

    /** The task started the step labelled {@code label} (see {@link StepLabels}). */
    void started(String label);

    /** An agent finished {@code step}. */
    default void finished(AgentStep step) {
    }
}
