package dev.keiko.workflows.task;

import io.temporal.activity.Activity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Task record activities that keep what they were asked to write, in order. */
class RecordingTaskRecords implements TaskRecordActivities {

    final List<String> statuses = new CopyOnWriteArrayList<>();
    final List<TaskResult> results = new CopyOnWriteArrayList<>();
    final List<String> announcements = new CopyOnWriteArrayList<>();
    /** How long each announcement takes, so that a test can act while one is in flight. */
    volatile Duration announcementTime = Duration.ZERO;
    /** How many attempts of recordOutcome fail (as a database outage would) before one writes. */
    final AtomicInteger outcomeFailures = new AtomicInteger();
    /** Until when ({@link System#nanoTime()}) every attempt of recordOutcome fails; 0: no such outage. */
    volatile long outcomeFailsUntilNanos;
    /** The attempt number of every execution of recordOutcome, in order. */
    final List<Integer> outcomeAttempts = new CopyOnWriteArrayList<>();

    @Override
    public MarkTaskRunningOutput markRunning(MarkTaskRunningInput input) {
        statuses.add("running");
        return new MarkTaskRunningOutput(true, "running");
    }

    @Override
    public RecordTaskOutcomeOutput recordOutcome(RecordTaskOutcomeInput input) {
        outcomeAttempts.add(Activity.getExecutionContext().getInfo().getAttempt());
        long outageEnds = outcomeFailsUntilNanos;
        if (outageEnds != 0 && System.nanoTime() - outageEnds < 0) {
            throw new IllegalStateException("the database is down");
        }
        if (outcomeFailures.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new IllegalStateException("the database is down");
        }
        statuses.add(input.status());
        results.add(input.result());
        return new RecordTaskOutcomeOutput(true);
    }

    @Override
    public AnnounceProgressOutput announceProgress(AnnounceProgressInput input) {
        try {
            Thread.sleep(announcementTime.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        announcements.add(input.message());
        return new AnnounceProgressOutput(true);
    }
}
