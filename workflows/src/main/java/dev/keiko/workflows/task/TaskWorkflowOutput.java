package dev.keiko.workflows.task;

/** The outcome of a task that completed; failed and cancelled tasks end the workflow with a failure. */
public record TaskWorkflowOutput(TaskResult result) {
}
