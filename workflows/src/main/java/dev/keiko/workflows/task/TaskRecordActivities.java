package dev.keiko.workflows.task;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Writes a task's transitions to the PostgreSQL read model.
 *
 * <p>Every method is idempotent and only ever moves a task forward (pending → running →
 * completed | failed | cancelled): a retried or replayed call that finds the task already there, or
 * further on, changes nothing and answers {@code applied = false}. Each call is a few short
 * statements; the workflow gives it a 10 s start-to-close timeout as an activity, 2 s as the local
 * activity it runs from version 1 of its local-task-records change, and retries it without limit, so an
 * outcome is never lost to a database outage. {@link #MISSING_TASK} is the one non-retryable
 * failure: a workflow whose row does not exist.
 *
 * <p>{@link #announceProgress} publishes a progress event on the task's event stream for a step that no
 * activity reports, such as a wait for approval: best effort, it never fails.
 */
@ActivityInterface
public interface TaskRecordActivities {

    /** Failure type: the task row does not exist. */
    String MISSING_TASK = "MISSING_TASK";

    @ActivityMethod
    MarkTaskRunningOutput markRunning(MarkTaskRunningInput input);

    @ActivityMethod
    RecordTaskOutcomeOutput recordOutcome(RecordTaskOutcomeInput input);

    @ActivityMethod
    AnnounceProgressOutput announceProgress(AnnounceProgressInput input);
}
