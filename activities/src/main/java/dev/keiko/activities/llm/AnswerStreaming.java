package dev.keiko.activities.llm;

import dev.keiko.activities.HeartbeatingWait;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs a streamed model call on a virtual thread while the activity's thread publishes its text in batches (every
 * {@link #BATCH_INTERVAL} or {@link #BATCH_CHARS} characters, whichever comes first) and heartbeats, so Temporal can
 * deliver a cancellation: that stops the call (its response body is closed, which ends the HTTP exchange, and its
 * thread interrupted) and keeps what it answered so far. The wait wakes as soon as the answer to a heartbeat carries a
 * cancel (the SDK's cancellation token), not at its next tick.
 */
final class AnswerStreaming {

    static final Duration BATCH_INTERVAL = Duration.ofMillis(50);
    static final int BATCH_CHARS = 200;

    private static final ThreadFactory THREADS = Thread.ofVirtual().name("keiko-model-call-", 0).factory();

    private AnswerStreaming() {
    }

    /**
     * Waits for the call, publishing its text; answers true when it completed and false when the activity was
     * cancelled (the answer then holds what arrived before).
     *
     * @param call streams into {@code answer}
     * @param failure turns what the call threw into what the activity throws
     */
    @SuppressWarnings("try") // the registration is held only to be closed: the token stops calling back
    static boolean await(Callable<Void> call, ChatAnswer answer, AnswerPublisher publisher,
            Function<Throwable, RuntimeException> failure) {
        FutureTask<Void> task = new FutureTask<>(() -> {
            try {
                return call.call();
            } finally {
                answer.end();
            }
        });
        THREADS.newThread(task).start();
        ActivityExecutionContext context = Activity.getExecutionContext();
        long started = System.nanoTime();
        long beaten = started;
        // Paced by the text that arrived, not by what was published: a publisher past its cap, or one without a
        // task, publishes nothing and must not make this loop spin. Text after a quiet spell goes out at once.
        int seen = 0;
        long published = started - BATCH_INTERVAL.toNanos();
        try (var cancel = context.getCancellationToken().onCancel(answer::wake)) {
            while (!task.isDone()) {
                long due = published + BATCH_INTERVAL.toNanos();
                long now = System.nanoTime();
                if (now - due >= 0) {
                    answer.awaitText(seen + 1, HeartbeatingWait.HEARTBEAT_CALL.toNanos());
                } else {
                    answer.awaitText(seen + BATCH_CHARS, due - now);
                }
                int length = answer.textLength();
                // Woken by a cancel: stop first; the cancelled path flushes what arrived.
                if (!answer.woken() && length > seen
                        && (length >= seen + BATCH_CHARS || System.nanoTime() - due >= 0)) {
                    seen = length;
                    publisher.publish(answer);
                    published = System.nanoTime();
                }
                if (System.nanoTime() - beaten >= HeartbeatingWait.HEARTBEAT_CALL.toNanos() || answer.woken()) {
                    beaten = System.nanoTime();
                    context.heartbeat(TimeUnit.NANOSECONDS.toMillis(beaten - started));
                }
            }
            task.get();
            publisher.flush(answer);
            return true;
        } catch (ActivityCanceledException cancelled) {
            stop(task, answer);
            publisher.flush(answer);
            return false;
        } catch (ActivityCompletionException e) {
            stop(task, answer);
            throw e;
        } catch (InterruptedException e) {
            stop(task, answer);
            Thread.currentThread().interrupt();
            throw Activity.wrap(e);
        } catch (ExecutionException e) {
            throw failure.apply(e.getCause());
        }
    }

    private static void stop(FutureTask<Void> task, ChatAnswer answer) {
        answer.abort();
        task.cancel(true);
    }
}
