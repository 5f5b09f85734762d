package dev.keiko.domain.task.event;

import java.time.Instant;
import java.util.UUID;

/** An event of a task as the log holds it: {@code seq} numbers the task's events 1, 2, 3 ... in commit order. */
public sealed interface TaskEvent {

    UUID taskId();

    long seq();

    Instant at();

    /** The task entered {@code status} (a lowercase {@code TaskStatus} name). */
    record StatusChanged(UUID taskId, long seq, Instant at, String status) implements TaskEvent {}

    /** A step of the task reported how it went; {@code progress} and {@code total} when the work counts them. */
    record Progressed(UUID taskId, long seq, Instant at, String message, Double progress, Double total)
            implements TaskEvent {}

    /**
     * A model call wrote {@code text}, {@code offset} characters into the answer of that attempt; {@code abandoned}
     * once the attempt failed or was retried.
     */
    record TextWritten(UUID taskId, long seq, Instant at, ModelCallAttempt call, String step, int offset, String text,
            boolean abandoned) implements TaskEvent {}

    /** That attempt of a model call failed or was retried: its text is not part of the answer. */
    record AttemptAbandoned(UUID taskId, long seq, Instant at, ModelCallAttempt call) implements TaskEvent {}
}
