package dev.keiko.domain.task;

/** The task an insert produced, and whether it is new or an earlier task with the same idempotency key. */
public record TaskInsert(Task task, boolean created) {
}
