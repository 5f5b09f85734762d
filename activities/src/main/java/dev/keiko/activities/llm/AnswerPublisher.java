package dev.keiko.activities.llm;

import dev.keiko.domain.task.event.ModelCallAttempt;
import dev.keiko.domain.task.event.TaskEventLog;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the text of one model-call attempt to its task's event log as it arrives, from the activity's
 * thread, in deltas of what came since the last one. Best effort: a delta the log could not take is kept and
 * appended again as it was (deltas are idempotent by offset) before the next, and never fails the call. Publishes
 * at most {@link #MAX_CHARS} characters an attempt and says so once past them: the answer itself goes to the
 * workflow whole, whatever its length.
 */
final class AnswerPublisher {

    /** The most characters one attempt publishes: 1 MiB of text. */
    static final int MAX_CHARS = 1 << 20;
    /** The most characters one delta holds, so that every event stays small however much text came at once. */
    static final int MAX_DELTA_CHARS = 8 * 1024;

    static final AnswerPublisher NONE = new AnswerPublisher(null, null, null, null);

    private static final Logger log = LoggerFactory.getLogger(AnswerPublisher.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final TaskEventLog events;
    private final UUID taskId;
    private final ModelCallAttempt attempt;
    private final String step;
    private int cut;
    private Delta unpublished;
    private long retryAt;
    private boolean capped;
    // Attempts after the first abandon the earlier ones' text before they publish their own; a freshly started
    // worker's first write can take over a second, so one that failed is tried again with each delta.
    private boolean earlierAttemptsAbandoned;

    private AnswerPublisher(TaskEventLog events, UUID taskId, ModelCallAttempt attempt, String step) {
        this.events = events;
        this.taskId = taskId;
        this.attempt = attempt;
        this.step = step;
        this.retryAt = System.nanoTime();
    }

    /**
     * The publisher of the running activity's attempt, which abandons the text of the call's earlier attempts before
     * it publishes any of its own; one that publishes nothing without an event log or a task.
     */
    static AnswerPublisher open(TaskEventLog events, String taskId, String step) {
        UUID task = uuid(taskId);
        if (events == null || task == null) {
            return NONE;
        }
        ActivityInfo info = Activity.getExecutionContext().getInfo();
        // Temporal counts attempts from 1; its test environment reports 0.
        ModelCallAttempt attempt = new ModelCallAttempt(info.getWorkflowRunId() + "/" + info.getActivityId(),
                Math.max(1, info.getAttempt()));
        // The earlier attempts are abandoned by the first flush, on the heartbeating loop: here, before the call's
        // charge is reserved, a slow write would take from the time left until the first heartbeat.
        return new AnswerPublisher(events, task, attempt, step);
    }

    private boolean abandonEarlierAttempts() {
        if (!earlierAttemptsAbandoned) {
            earlierAttemptsAbandoned = attempt.attempt() == 1 || bestEffort("abandon the earlier attempts of",
                    () -> events.abandonEarlier(taskId, attempt).block(TIMEOUT));
        }
        return earlierAttemptsAbandoned;
    }

    /**
     * Publishes what arrived since the last delta (and a delta that failed before, first); after a failure, not
     * before a second has passed.
     */
    void publish(ChatAnswer answer) {
        if (System.nanoTime() - retryAt >= 0) {
            flush(answer);
        }
    }

    /** Publishes what arrived since the last delta, now: the answer is complete or cancelled. */
    void flush(ChatAnswer answer) {
        if (events == null) {
            return;
        }
        if (!abandonEarlierAttempts()) {
            retryAt = System.nanoTime() + RETRY_AFTER.toNanos();
            return;
        }
        if (unpublished != null && !append(unpublished)) {
            return;
        }
        unpublished = null;
        int length = answer.textLength();
        int end = Math.min(length, MAX_CHARS);
        if (end < length && end > cut && Character.isHighSurrogate(answer.text(end - 1, end).charAt(0))) {
            end--; // never split a character in two
        }
        while (end > cut) {
            int pieceEnd = Math.min(end, cut + MAX_DELTA_CHARS);
            if (pieceEnd < end && Character.isHighSurrogate(answer.text(pieceEnd - 1, pieceEnd).charAt(0))) {
                pieceEnd--;
            }
            Delta delta = new Delta(cut, answer.text(cut, pieceEnd));
            cut = pieceEnd;
            if (!append(delta)) {
                unpublished = delta;
                return;
            }
        }
        if (length > MAX_CHARS && !capped) {
            capped = true;
            bestEffort("announce the end of the streamed text of", () -> events.appendProgress(taskId, step
                    + ": the answer passed " + MAX_CHARS + " characters; the rest is not streamed, the task's result"
                    + " holds it all", null, null).block(TIMEOUT));
        }
    }

    /** Marks this attempt's text abandoned, when it published any: its call failed. */
    void abandon() {
        if (events != null && cut > 0) {
            bestEffort("abandon", () -> events.abandon(taskId, attempt).block(TIMEOUT));
        }
    }

    private boolean append(Delta delta) {
        boolean appended = bestEffort("publish text of",
                () -> events.appendText(taskId, attempt, step, delta.offset(), delta.text()).block(TIMEOUT));
        if (!appended) {
            retryAt = System.nanoTime() + RETRY_AFTER.toNanos();
        }
        return appended;
    }

    private boolean bestEffort(String what, Runnable call) {
        try {
            call.run();
            return true;
        } catch (RuntimeException e) {
            log.warn("Could not {} model call {} attempt {} of task {}: {}", what, attempt.callId(), attempt.attempt(),
                    taskId, e.toString());
            return false;
        }
    }

    private static UUID uuid(String taskId) {
        try {
            return taskId == null ? null : UUID.fromString(taskId);
        } catch (IllegalArgumentException notATask) {
            return null;
        }
    }

    private record Delta(int offset, String text) {
    }
}
