package dev.keiko.workflows.task;

import dev.keiko.workflows.TemporalLimits;
import dev.keiko.workflows.llm.LlmFailureTypes;
import dev.keiko.workflows.tool.ToolFailureTypes;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Every activity option the task workflow uses, in one catalogue: model calls, image generation, tool
 * calls, tool listing, database writes and progress announcements. A per-agent retry policy or timeout
 * derives from these.
 */
final class TaskActivityOptions {

    static final Duration TOOL_HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration MODEL_HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);

    private TaskActivityOptions() {
    }

    /** Chat completions: 2 minutes each, heartbeats so cancellation reaches them, at most 6 attempts. */
    static ActivityOptions modelCall(String summary) {
        return llm(summary, Duration.ofMinutes(2), 6);
    }

    /** Image generations: 3 minutes each, at most 4 attempts. */
    static ActivityOptions imageGeneration(String summary) {
        return llm(summary, Duration.ofMinutes(3), 4);
    }

    /** One MCP tool call within the task's timeout, heartbeating, retried up to 5 times unless refused. */
    static ActivityOptions toolCall(long timeoutSeconds, String summary) {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(timeoutSeconds))
                .setHeartbeatTimeout(TOOL_HEARTBEAT_TIMEOUT)
                .setCancellationType(ActivityCancellationType.TRY_CANCEL)
                .setSummary(TemporalLimits.summary(summary))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setBackoffCoefficient(2)
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .setMaximumAttempts(5)
                        .setDoNotRetry(ToolFailureTypes.NON_RETRYABLE.toArray(String[]::new))
                        .build())
                .build();
    }

    /** Listing a server's tools: 30 s, 3 attempts. */
    static ActivityOptions toolListing() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3)
                        .setDoNotRetry(ToolFailureTypes.NON_RETRYABLE.toArray(String[]::new)).build())
                .build();
    }

    /**
     * Activities that write one short statement to PostgreSQL: 10 s each, retried without limit (an outage
     * must not lose an outcome or a token count), except for a task without a row.
     */
    static ActivityOptions database() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(500))
                        .setMaximumInterval(Duration.ofSeconds(10))
                        .setDoNotRetry(TaskRecordActivities.MISSING_TASK)
                        .build())
                .build();
    }

    /** Progress announcements nobody waits for: 5 s, 3 attempts. */
    static ActivityOptions announcement() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(5))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
                .build();
    }

    /** LLM calls of any kind: heartbeats so cancellation reaches them, provider failures classified. */
    private static ActivityOptions llm(String summary, Duration startToClose, int maximumAttempts) {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(startToClose)
                .setHeartbeatTimeout(MODEL_HEARTBEAT_TIMEOUT)
                .setCancellationType(ActivityCancellationType.TRY_CANCEL)
                .setSummary(TemporalLimits.summary(summary))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(2))
                        .setBackoffCoefficient(2)
                        .setMaximumInterval(Duration.ofMinutes(1))
                        .setMaximumAttempts(maximumAttempts)
                        .setDoNotRetry(LlmFailureTypes.NON_RETRYABLE.toArray(String[]::new))
                        .build())
                .build();
    }
}
