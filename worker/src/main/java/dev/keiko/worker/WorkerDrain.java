package dev.keiko.worker;

import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Drains the worker when its context closes (SIGTERM): stops polling, lets the workflow and activity tasks
 * in flight finish for up to {@code keiko.worker.shutdown-grace}, then interrupts what is left, which
 * Temporal retries on another worker (an interrupted call fails its attempt, a call that never reports
 * back times out on its heartbeat). The starter's own shutdown of the worker factory, when its bean is
 * destroyed, only asks the workers to stop and does not wait: the connection to Temporal closes right
 * after, and activities still running could not report their results.
 *
 * <p>Stops first (the highest phase), before the web server, so the probes answer while it drains; the
 * wait is synchronous, so {@code spring.lifecycle.timeout-per-shutdown-phase} does not bound it.
 */
@Component
class WorkerDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerDrain.class);
    /** How long interrupted tasks get to report their failure once the grace is over. */
    private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(5);

    private final WorkerFactory workers;
    private final Duration grace;
    private volatile boolean running;

    WorkerDrain(WorkerFactory workers, WorkerTuning.Settings settings) {
        this.workers = workers;
        this.grace = settings.shutdownGrace();
    }

    @Override
    public void start() {
        running = true; // the starter starts polling once the application is ready
    }

    @Override
    public void stop() {
        running = false;
        if (workers.isTerminated()) {
            return;
        }
        log.info("Draining: polling stopped, waiting up to {} for the tasks in flight", grace);
        long started = System.nanoTime();
        workers.shutdown();
        workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        if (workers.isTerminated()) {
            log.info("Drained in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return;
        }
        log.warn("Tasks still running after {}: interrupting them; Temporal retries them on another worker", grace);
        workers.shutdownNow();
        workers.awaitTermination(AFTER_INTERRUPT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
