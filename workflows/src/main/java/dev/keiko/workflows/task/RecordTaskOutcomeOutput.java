package dev.keiko.workflows.task;

/** Whether this call recorded the outcome; false when the task had already ended. */
public record RecordTaskOutcomeOutput(boolean applied) {
}
