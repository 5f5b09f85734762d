package dev.keiko.domain.agent;

import java.util.List;

/**
 * How an agent's model and tool calls are retried, as Temporal retry options: the first wait, its growth
 * per attempt, the longest wait, the most attempts (0: unlimited, as Temporal reads it) and the failure
 * types never retried.
 */
public record AgentRetryPolicy(
        int initialIntervalSeconds,
        double backoffCoefficient,
        int maximumIntervalSeconds,
        int maximumAttempts,
        List<String> nonRetryableErrorTypes) {

    public static final AgentRetryPolicy DEFAULT = new AgentRetryPolicy(1, 2.0, 60, 5, List.of());

    public AgentRetryPolicy {
        nonRetryableErrorTypes = nonRetryableErrorTypes == null ? List.of() : List.copyOf(nonRetryableErrorTypes);
    }
}
