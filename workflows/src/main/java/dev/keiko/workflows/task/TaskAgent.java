package dev.keiko.workflows.task;

import java.util.List;

/**
 * The agent a task was routed to: the task waits for one of its slots before it runs, and its model and
 * tool calls are retried by the agent's policy. The API has already narrowed the task's parameters to what
 * the agent allows.
 *
 * @param agentId the agent's id
 * @param agentName the agent's name when the task was submitted, for progress and logs
 * @param priority the task's priority: low, normal, high or critical
 * @param submittedAtMillis when the task was submitted, its place within its priority
 * @param retryPolicy how the agent's model and tool calls are retried
 */
public record TaskAgent(String agentId, String agentName, String priority, long submittedAtMillis,
        RetryPolicy retryPolicy) {

    /**
     * Temporal retry options of the agent's model and tool calls; the catalogue's non-retryable failure types
     * stay non-retryable.
     *
     * @param maximumAttempts 0 for no limit, as Temporal reads it
     */
    public record RetryPolicy(int initialIntervalSeconds, double backoffCoefficient, int maximumIntervalSeconds,
            int maximumAttempts, List<String> nonRetryableErrorTypes) {

        public RetryPolicy {
            nonRetryableErrorTypes = nonRetryableErrorTypes == null ? List.of() : List.copyOf(nonRetryableErrorTypes);
        }
    }
}
