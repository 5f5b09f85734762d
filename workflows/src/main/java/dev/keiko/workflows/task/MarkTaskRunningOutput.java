package dev.keiko.workflows.task;

/** Whether this call moved the task to running; false when it already was running or further on. */
public record MarkTaskRunningOutput(boolean applied) {
}
