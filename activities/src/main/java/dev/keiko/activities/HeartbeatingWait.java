package dev.keiko.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.time.Duration;
import java.util.concurrent.Callable;
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
 * reactive one is disposed.
 */
public final class HeartbeatingWait {

    /**
     * As often as the worker lets heartbeats through (its throttle, 100 ms), as model calls do: a cancel reaches a
     * call only in the answer to a heartbeat, and at 300 ms a tool call's cancel waited 150 ms on average for it.
     */
    public static final Duration INTERVAL = Duration.ofMillis(100);

    /**
     * How often reactive work (tool calls) looks for a cancel. The SDK sends heartbeats at most every throttle interval
     * whatever this is, and tells the activity of a cancel the answer to one carried only when it next calls
     * {@code heartbeat}: at {@link #INTERVAL} that second wait added up to 100 ms to a cancelled tool call's stop.
     * A tool call holds one virtual thread, so the extra wake-ups cost little; blocking calls, which model calls
     * many at once, keep {@link #INTERVAL}.
     */
    public static final Duration CANCEL_CHECK = Duration.ofMillis(25);

    private static final ThreadFactory THREADS = Thread.ofVirtual().name("keiko-activity-call-", 0).factory();

    private HeartbeatingWait() {
    }

    /**
     * Runs a blocking call on a virtual thread and waits for it.
     *
     * @param failure turns what the call threw into what the activity throws
     */
    public static <T> T call(Callable<T> call, Function<Throwable, RuntimeException> failure) {
        FutureTask<T> task = new FutureTask<>(call);
        THREADS.newThread(task).start();
        return await(task, INTERVAL, () -> { }, failure);
    }

    /**
     * Subscribes to reactive work and waits for it.
     *
     * @param onTick runs on the activity thread every {@link #INTERVAL} while waiting, and once the work is done
     * @param failure turns the work's error into what the activity throws
     */
    public static <T> T await(Mono<T> work, Runnable onTick, Function<Throwable, RuntimeException> failure) {
        return await(work.toFuture(), CANCEL_CHECK, onTick, failure);
    }

    private static <T> T await(Future<T> work, Duration tick, Runnable onTick,
            Function<Throwable, RuntimeException> failure) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        long started = System.nanoTime();
        long ticked = started;
        try {
            while (true) {
                try {
                    T value = work.get(tick.toMillis(), TimeUnit.MILLISECONDS);
                    onTick.run();
                    return value;
                } catch (TimeoutException stillRunning) {
                    // What onTick publishes (a tool's progress, written to PostgreSQL) keeps the heartbeats' pace.
                    if (System.nanoTime() - ticked >= INTERVAL.toNanos()) {
                        ticked = System.nanoTime();
                        onTick.run();
                    }
                    context.heartbeat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                }
            }
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
