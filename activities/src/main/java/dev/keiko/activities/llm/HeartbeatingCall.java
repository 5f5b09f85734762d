package dev.keiko.activities.llm;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs a blocking provider call on a virtual thread while the activity thread heartbeats, so
 * Temporal can tell the activity is alive and deliver its cancellation. Cancelling interrupts the
 * call's thread, which aborts the HTTP exchange: a cancelled task stops paying for its model call.
 */
final class HeartbeatingCall {

    static final Duration INTERVAL = Duration.ofMillis(300);

    private static final ThreadFactory THREADS = Thread.ofVirtual().name("keiko-llm-call-", 0).factory();

    private HeartbeatingCall() {
    }

    /**
     * @param failure turns what the call threw into what the activity throws
     */
    static <T> T await(Callable<T> call, Function<Throwable, RuntimeException> failure) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        long started = System.nanoTime();
        FutureTask<T> task = new FutureTask<>(call);
        THREADS.newThread(task).start();
        try {
            while (true) {
                try {
                    return task.get(INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    context.heartbeat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                }
            }
        } catch (ActivityCompletionException e) {
            task.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw Activity.wrap(e);
        } catch (ExecutionException e) {
            throw failure.apply(e.getCause());
        }
    }
}
