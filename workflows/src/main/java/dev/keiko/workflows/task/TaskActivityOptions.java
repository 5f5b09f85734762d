package dev.keiko.workflows.task;

import dev.keiko.workflows.TemporalLimits;
import dev.keiko.workflows.llm.LlmFailureTypes;
import dev.keiko.workflows.tool.ToolFailureTypes;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Every activity option the task workflow uses, in one catalogue: model calls, image generation, tool
 * calls, tool listing, database writes, progress announcements and slot requests. The retry policy of the agent
 * a task was routed to replaces the retry options of its model, image and tool calls; their timeouts,
 * heartbeats and non-retryable failure types stay.
 */
final class TaskActivityOptions {

    // Long enough that a worker short of CPU (a GC pause, a busy machine) still heartbeats in time: a call whose
    // heartbeat is late is retried while the first attempt may still reach the tool.
    static final Duration TOOL_HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration MODEL_HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);

    private TaskActivityOptions() {
    }

    /** Chat completions: 2 minutes each, heartbeats so cancellation reaches them, at most 6 attempts. */
    static ActivityOptions modelCall(String summary) {
        return modelCall(summary, null, false);
    }

    /**
     * A chat completion, retried by {@code agentPolicy} when the task was routed to an agent (else null). A call
     * that {@code handsOverPartialAnswer} is waited for when cancelled, so that the answer it returns then (its
     * text so far) reaches the workflow; any other is cancelled as {@link #cancellation} says.
     */
    static ActivityOptions modelCall(String summary, TaskAgent.RetryPolicy agentPolicy,
            boolean handsOverPartialAnswer) {
        ActivityCancellationType cancellation = handsOverPartialAnswer
                ? ActivityCancellationType.WAIT_CANCELLATION_COMPLETED : cancellation(agentPolicy);
        return llm(summary, Duration.ofMinutes(2), 6, agentPolicy, cancellation);
    }

    /** Image generations: 3 minutes each, at most 4 attempts. */
    static ActivityOptions imageGeneration(String summary) {
        return imageGeneration(summary, null);
    }

    static ActivityOptions imageGeneration(String summary, TaskAgent.RetryPolicy agentPolicy) {
        return llm(summary, Duration.ofMinutes(3), 4, agentPolicy, cancellation(agentPolicy));
    }

    /** One MCP tool call within the task's timeout, heartbeating, retried up to 5 times unless refused. */
    static ActivityOptions toolCall(long timeoutSeconds, String summary) {
        return toolCall(timeoutSeconds, summary, null);
    }

    static ActivityOptions toolCall(long timeoutSeconds, String summary, TaskAgent.RetryPolicy agentPolicy) {
        RetryOptions catalogue = RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setBackoffCoefficient(2)
                .setMaximumInterval(Duration.ofSeconds(30))
                .setMaximumAttempts(5)
                .setDoNotRetry(ToolFailureTypes.NON_RETRYABLE.toArray(String[]::new))
                .build();
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(timeoutSeconds))
                .setHeartbeatTimeout(TOOL_HEARTBEAT_TIMEOUT)
                .setCancellationType(cancellation(agentPolicy))
                .setSummary(TemporalLimits.summary(summary))
                .setRetryOptions(retries(catalogue, agentPolicy))
                .build();
    }

    /**
     * A task outside any agent moves on as soon as it asks a call to stop. An agent's task waits until the
     * call has stopped (its worker saw the cancellation through a heartbeat, or the call timed out), so that
     * the slot it then gives back never overlaps the call at the tool or model.
     */
    static ActivityCancellationType cancellation(TaskAgent.RetryPolicy agentPolicy) {
        return agentPolicy == null ? ActivityCancellationType.TRY_CANCEL
                : ActivityCancellationType.WAIT_CANCELLATION_COMPLETED;
    }

    /** The agent's retry policy of the task, or null for a task outside any agent. */
    static TaskAgent.RetryPolicy agentPolicy(TaskWorkflowInput input) {
        return input.agent() == null ? null : input.agent().retryPolicy();
    }

    /** The id of the task's agent, which its model and tool calls tag their metrics with; null outside any agent. */
    static String agentId(TaskWorkflowInput input) {
        return input.agent() == null ? null : input.agent().agentId();
    }

    /**
     * The catalogue's retry options with an agent's policy in their place: its intervals, backoff and attempts,
     * and its non-retryable types beside the catalogue's. A value the policy leaves unusable (an interval or a
     * backoff below Temporal's minimum) keeps the catalogue's.
     */
    static RetryOptions retries(RetryOptions catalogue, TaskAgent.RetryPolicy agentPolicy) {
        if (agentPolicy == null) {
            return catalogue;
        }
        RetryOptions.Builder retries = RetryOptions.newBuilder(catalogue)
                .setMaximumAttempts(Math.max(0, agentPolicy.maximumAttempts()));
        if (agentPolicy.initialIntervalSeconds() > 0) {
            retries.setInitialInterval(Duration.ofSeconds(agentPolicy.initialIntervalSeconds()));
        }
        if (agentPolicy.backoffCoefficient() >= 1) {
            retries.setBackoffCoefficient(agentPolicy.backoffCoefficient());
        }
        if (agentPolicy.maximumIntervalSeconds() > 0
                && agentPolicy.maximumIntervalSeconds() >= agentPolicy.initialIntervalSeconds()) {
            retries.setMaximumInterval(Duration.ofSeconds(agentPolicy.maximumIntervalSeconds()));
        }
        LinkedHashSet<String> doNotRetry = new LinkedHashSet<>();
        if (catalogue.getDoNotRetry() != null) {
            doNotRetry.addAll(List.of(catalogue.getDoNotRetry()));
        }
        doNotRetry.addAll(agentPolicy.nonRetryableErrorTypes());
        return retries.setDoNotRetry(doNotRetry.toArray(String[]::new)).build();
    }

    /**
     * Passing a task's request to its agent's slot workflow (signal-with-start): 10 s each, retried without
     * limit; the wait for a slot is bounded by the task's timeout, which cancels it.
     */
    static ActivityOptions slotRequest() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setCancellationType(ActivityCancellationType.TRY_CANCEL)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(500))
                        .setMaximumInterval(Duration.ofSeconds(10))
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

    /**
     * {@link #database()} as a local activity, run by the worker of the workflow task that asks for it: the same
     * retries, with two changes that keep an outage from holding that workflow task past 80 % of its 10 s timeout,
     * when the SDK would ask for a new one (and a server that hands that out with the whole history, as the dev
     * server does without sticky queues, would replay the workflow and start a second execution of the write beside
     * the first). An attempt may take 2 s (the SDK does not stop one that times out: its statement may still land after
     * the next attempt's, which changes nothing, every write being conditional and forward-only); and a retry more than 0.5 s away waits on a workflow timer, which ends the workflow task and frees its
     * slot: at most two attempts and one backoff (2 + 0.5 + 2 s) run in one workflow task, after its replay. The SDK retries a local activity only within a schedule-to-close timeout or a number of
     * attempts: a year stands for "without limit".
     */
    static LocalActivityOptions localDatabase() {
        return LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(2))
                .setScheduleToCloseTimeout(Duration.ofDays(365))
                .setLocalRetryThreshold(Duration.ofMillis(500))
                .setRetryOptions(database().getRetryOptions())
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
    private static ActivityOptions llm(String summary, Duration startToClose, int maximumAttempts,
            TaskAgent.RetryPolicy agentPolicy, ActivityCancellationType cancellation) {
        RetryOptions catalogue = RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(2))
                .setBackoffCoefficient(2)
                .setMaximumInterval(Duration.ofMinutes(1))
                .setMaximumAttempts(maximumAttempts)
                .setDoNotRetry(LlmFailureTypes.NON_RETRYABLE.toArray(String[]::new))
                .build();
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(startToClose)
                .setHeartbeatTimeout(MODEL_HEARTBEAT_TIMEOUT)
                .setCancellationType(cancellation)
                .setSummary(TemporalLimits.summary(summary))
                .setRetryOptions(retries(catalogue, agentPolicy))
                .build();
    }
}
