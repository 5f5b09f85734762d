package dev.keiko.activities.llm;

import dev.keiko.domain.llm.LlmCallSlots;
import dev.keiko.domain.llm.LlmCallSlots.CallSlot;
import dev.keiko.domain.llm.LlmRateLimits;
import dev.keiko.domain.llm.LlmRateLimits.RateLimit;
import dev.keiko.workflows.llm.LlmFailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Holds each call to a rate-limited deployment until its turn, across all workers
 * ({@code keiko.llm.rate-limits.*}). A turn within the limit's {@code maxWait} is waited for inside the
 * activity, heartbeating so a cancellation still gets through; a later one ends the attempt as
 * {@link LlmFailureTypes#RATE_LIMITED}, retried by Temporal shortly before that turn.
 */
@Component
public class DeploymentRateLimiter {

    static final DeploymentRateLimiter NONE = new DeploymentRateLimiter((LlmCallSlots) null, new LlmRateLimits(Map.of()));

    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MIN_RETRY_DELAY = Duration.ofSeconds(1);

    private final LlmCallSlots slots;
    private final LlmRateLimits limits;

    public DeploymentRateLimiter(LlmCallSlots slots, LlmRateLimits limits) {
        this.slots = slots;
        this.limits = limits;
    }

    /** The turns are only looked up in PostgreSQL when a deployment has a limit. */
    @Autowired
    public DeploymentRateLimiter(ObjectProvider<LlmCallSlots> slots, LlmRateLimits limits) {
        this(limits.rateLimits().isEmpty() ? null : slots.getObject(), limits);
    }

    /** Waits for the deployment's next turn; answers how long it waited. */
    Duration awaitTurn(String deployment) {
        RateLimit limit = limits.of(deployment);
        if (limit == null) {
            return Duration.ZERO;
        }
        CallSlot slot = slots.reserve(deployment, limit.interval(), limit.burstAllowance(), limit.maxWait())
                .block(DATABASE_TIMEOUT);
        if (slot == null || !slot.taken()) {
            Duration startsIn = slot == null ? limit.maxWait() : slot.startsIn();
            Duration retryAfter = startsIn.minus(limit.maxWait()).compareTo(MIN_RETRY_DELAY) > 0
                    ? startsIn.minus(limit.maxWait()) : MIN_RETRY_DELAY;
            throw ApplicationFailure.newBuilder()
                    .setType(LlmFailureTypes.RATE_LIMITED)
                    .setMessage("'" + deployment + "' is limited to " + limit.requestsPerMinute() + " calls a minute"
                            + " (keiko.llm.rate-limits) and its next free turn is " + startsIn.toMillis() + " ms away")
                    .setNextRetryDelay(retryAfter)
                    .build();
        }
        if (slot.startsIn().isPositive()) {
            HeartbeatingCall.await(() -> {
                Thread.sleep(slot.startsIn());
                return null;
            }, LlmFailures::waitFailed);
        }
        return slot.startsIn();
    }
}
