package dev.keiko.domain.llm;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Calls per deployment (Azure) or model (OpenAI-compatible), limited across all workers,
 * {@code keiko.llm.rate-limits.<deployment>.*}. A deployment without an entry is not limited by Keiko
 * (its provider may still answer 429, which is retried after the delay it asks for). Write a name with
 * dots, colons or slashes in brackets: {@code keiko.llm.rate-limits.[gpt-4.1].requests-per-minute}.
 */
@ConfigurationProperties("keiko.llm")
public record LlmRateLimits(@DefaultValue Map<String, RateLimit> rateLimits) {

    /** The limit of {@code deployment}, or null when it has none. */
    public RateLimit of(String deployment) {
        return rateLimits.get(deployment);
    }

    /**
     * @param requestsPerMinute the calls that may start per minute, evenly spaced once the burst is spent
     * @param burst how many calls may start at once after a quiet spell
     * @param maxWait the longest a call waits for its turn inside its activity, at most a minute (the model
     *     call's attempt has two); a turn further away ends the attempt as {@code RATE_LIMITED}, and the
     *     retry comes just before that turn, which is kept for it
     * @param maxQueue how far ahead a call may take its turn, at least {@code maxWait}; when the queue is
     *     longer, the attempt takes nothing and is retried once a turn would be that close
     */
    public record RateLimit(
            int requestsPerMinute,
            @DefaultValue("1") int burst,
            @DefaultValue("10s") Duration maxWait,
            @DefaultValue("5m") Duration maxQueue) {

        public static final Duration MAX_WAIT_LIMIT = Duration.ofMinutes(1);

        public RateLimit {
            if (requestsPerMinute < 1) {
                throw new IllegalArgumentException("requests-per-minute must be at least 1, not " + requestsPerMinute);
            }
            if (burst < 1) {
                throw new IllegalArgumentException("burst must be at least 1, not " + burst);
            }
            if (maxWait == null || maxWait.isNegative() || maxWait.compareTo(MAX_WAIT_LIMIT) > 0) {
                throw new IllegalArgumentException("max-wait must be between 0s and " + MAX_WAIT_LIMIT.toSeconds()
                        + "s, not " + maxWait);
            }
            if (maxQueue == null || maxQueue.compareTo(maxWait) < 0) {
                throw new IllegalArgumentException("max-queue must be at least max-wait (" + maxWait + "), not "
                        + maxQueue);
            }
        }

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
