package dev.keiko.workflows.task;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Options of the activities that write one short statement to PostgreSQL: 10 s each, retried without
 * limit (an outage must not lose an outcome or a token count), except for a task without a row.
 */
final class DatabaseActivityOptions {

    private DatabaseActivityOptions() {
    }

    static ActivityOptions get() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(500))
                        .setMaximumInterval(Duration.ofSeconds(10))
                        .setDoNotRetry(TaskRecordActivities.MISSING_TASK)
                        .build())
                .build();
    }
}
