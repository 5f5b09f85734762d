package dev.keiko.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Waits for an activity's work on the activity thread while heartbeating (the details are the
 * milliseconds waited), so Temporal can tell the activity is alive and deliver its cancellation,
 * which cancels the work: a blocking call is interrupted, which aborts its HTTP exchange, and a
 * reactive one is disposed. The wait wakes as soon as the answer to a heartbeat carries a cancel
 * (the SDK's cancellation token), not at its next tick.
 */
public final class HeartbeatingWait {

    /**
     * As often as the worker lets heartbeats through (its throttle, 100 ms): a cancel reaches an activity only in the
     * answer to a heartbeat.
     */
    public static final Duration INTERVAL = Duration.ofMillis(100);

    /**
     * How often a wait for a call (this one, and a streamed answer's) calls {@code heartbeat}: a few times per
     * {@link #INTERVAL}, so that a detail is always
     * pending when the SDK's throttle next sends one. Calling it once per interval let the throttle's timer and
     * the wait drift apart: with 100 other tool calls in flight, a tool call's stop after a cancel reached p95
     * 306-311 ms in three full benchmark runs, and 201 ms with this.
     */
    public static final Duration HEARTBEAT_CALL = Duration.ofMillis(25);

    private static final ThreadFactory THREADS = Thread.ofVirtual().name("keiko-activity-call-", 0).factory();

    private HeartbeatingWait() {
    }

    /**
     * Runs a blocking call on a virtual thread and waits for it.
     *
     * @param failure turns what the call threw into what the activity throws
     */
    public static <T> T call(Callable<T> call, Function<Throwable, RuntimeException> failure) {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        FutureTask<T> task = new FutureTask<>(call) {
            @Override
            protected void done() {
                finished.complete(null);
            }
        };
        THREADS.newThread(task).start();
        return await(task, finished, () -> { }, failure);
    }

    /**
     * Subscribes to reactive work and waits for it.
     *
     * @param onTick runs on the activity thread every {@link #INTERVAL} while waiting, and once the work is done
     * @param failure turns the work's error into what the activity throws
     */
    public static <T> T await(Mono<T> work, Runnable onTick, Function<Throwable, RuntimeException> failure) {
        CompletableFuture<T> future = work.toFuture();
        return await(future, future, onTick, failure);
    }

    @SuppressWarnings("try") // the registration is held only to be closed: the token stops calling back
    private static <T> T await(Future<T> work, CompletableFuture<?> finished, Runnable onTick,
            Function<Throwable, RuntimeException> failure) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        CompletableFuture<Void> cancelRequested = new CompletableFuture<>();
        CompletableFuture<Object> wake = CompletableFuture.anyOf(finished, cancelRequested);
        long started = System.nanoTime();
        try (var cancel = context.getCancellationToken().onCancel(() -> cancelRequested.complete(null))) {
            long ticked = System.nanoTime();
            while (!work.isDone()) {
                try {
                    wake.get(HEARTBEAT_CALL.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException | CancellationException tickOrDone) {
                    // A tick; or the work ended, which work.get() below reports.
                }
                if (cancelRequested.isDone()) {
                    // Throws the cancel at once: what onTick would publish (a write to PostgreSQL) must not delay
                    // the call's stop.
                    context.heartbeat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                } else if (!work.isDone()) {
                    if (System.nanoTime() - ticked >= INTERVAL.toNanos()) {
                        ticked = System.nanoTime();
                        onTick.run();
                    }
                    context.heartbeat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                }
            }
            T value = work.get();
            onTick.run();
            return value;
        } catch (ActivityCompletionException e) {
            work.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            work.cancel(true);
            Thread.currentThread().interrupt();
            throw Activity.wrap(e);
        } catch (ExecutionException e) {
            onTick.run();
            throw failure.apply(e.getCause());
        }
    }
}
