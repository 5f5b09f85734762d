package dev.keiko.domain.llm;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Calls per deployment (Azure) or model (OpenAI-compatible), limited across all workers,
 * {@code keiko.llm.rate-limits.<deployment>.*}. A deployment without an entry is not limited by Keiko
 * (its provider may still answer 429, which is retried after the delay it asks for).
 */
@ConfigurationProperties("keiko.llm")
@Validated
public record LlmRateLimits(@DefaultValue Map<String, @Valid RateLimit> rateLimits) {

    /** The limit of {@code deployment}, or null when it has none. */
    public RateLimit of(String deployment) {
        return rateLimits.get(deployment);
    }

    /**
     * @param requestsPerMinute the calls that may start per minute, evenly spaced once the burst is spent
     * @param burst how many calls may start at once after a quiet spell
     * @param maxWait the longest a call waits in its activity for its turn; a longer wait ends the attempt as
     *     {@code RATE_LIMITED}, retried when its turn is near. Keep it well below the model call's 2 minute timeout.
     */
    public record RateLimit(
            @Positive int requestsPerMinute,
            @DefaultValue("1") @Positive int burst,
            @DefaultValue("30s") Duration maxWait) {

        /** The time between two calls. */
        public Duration interval() {
            return Duration.ofNanos(60_000_000_000L / requestsPerMinute);
        }

        /** How far ahead of their even spacing calls may start: the burst beyond the first call. */
        public Duration burstAllowance() {
            return interval().multipliedBy(burst - 1L);
        }
    }
}
