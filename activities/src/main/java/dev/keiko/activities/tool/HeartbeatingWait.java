package dev.keiko.activities.tool;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Waits for reactive work on the activity thread while heartbeating, so Temporal can tell the
 * activity is alive and deliver its cancellation, which cancels the work.
 */
final class HeartbeatingWait {

    static final Duration INTERVAL = Duration.ofMillis(300);

    private HeartbeatingWait() {
    }

    /**
     * @param onTick runs on the activity thread between waits and once the work is done
     * @param failure turns the work's error into what the activity throws
     */
    static <T> T await(Mono<T> work, Runnable onTick, Function<Throwable, RuntimeException> failure) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        long started = System.nanoTime();
        CompletableFuture<T> future = work.toFuture();
        try {
            while (true) {
                try {
                    T value = future.get(INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                    onTick.run();
                    return value;
                } catch (TimeoutException stillRunning) {
                    onTick.run();
                    context.heartbeat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                }
            }
        } catch (ActivityCompletionException e) {
            future.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw Activity.wrap(e);
        } catch (ExecutionException e) {
            onTick.run();
            throw failure.apply(e.getCause());
        }
    }
}
