package dev.keiko.api.agent;

import dev.keiko.domain.agent.AgentRetryPolicy;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * An agent's {@code retryPolicy}: every field optional, defaults from {@link AgentRetryPolicy#DEFAULT}.
 * {@code maximumAttempts} 0 means unlimited, as in Temporal (bounded by the task's timeout).
 */
record RetryPolicyRequest(
        @Min(1) @Max(3600) Integer initialIntervalSeconds,
        @DecimalMin("1.0") @DecimalMax("10.0") Double backoffCoefficient,
        @Min(1) @Max(86_400) Integer maximumIntervalSeconds,
        @Min(0) @Max(100) Integer maximumAttempts,
        @Size(max = 50) List<@NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}",
                message = "must be 1 to 128 letters, digits, '.', '_' or '-'") String> nonRetryableErrorTypes) {

    AgentRetryPolicy toPolicy() {
        AgentRetryPolicy defaults = AgentRetryPolicy.DEFAULT;
        return new AgentRetryPolicy(
                initialIntervalSeconds == null ? defaults.initialIntervalSeconds() : initialIntervalSeconds,
                backoffCoefficient == null ? defaults.backoffCoefficient() : backoffCoefficient,
                maximumIntervalSeconds == null ? defaults.maximumIntervalSeconds() : maximumIntervalSeconds,
                maximumAttempts == null ? defaults.maximumAttempts() : maximumAttempts,
                nonRetryableErrorTypes == null ? defaults.nonRetryableErrorTypes() : nonRetryableErrorTypes);
    }
}
