package dev.keiko.workflows.task;

/** Marks a pending task running, as of workflow time {@code startedAtMillis}. */
public record MarkTaskRunningInput(String taskId, long startedAtMillis) {
}
