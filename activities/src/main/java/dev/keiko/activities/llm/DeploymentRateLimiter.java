package dev.keiko.activities.llm;

import dev.keiko.domain.llm.LlmCallSlots;
import dev.keiko.domain.llm.LlmRateLimits;
import dev.keiko.domain.llm.LlmRateLimits.RateLimit;
import dev.keiko.workflows.llm.LlmFailureTypes;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Holds each call to a rate-limited deployment until its turn, across all workers
 * ({@code keiko.llm.rate-limits.*}). A turn within the limit's {@code maxWait} is waited for inside the
 * activity, heartbeating so a cancellation still gets through. A later turn is kept for the call in
 * the attempt's heartbeat details, and the attempt ends as {@link LlmFailureTypes#RATE_LIMITED} with a
 * retry just before it: the wait is Temporal's, durable, and the retry is never turned away again.
 */
@Component
public class DeploymentRateLimiter {

    static final DeploymentRateLimiter NONE = new DeploymentRateLimiter((LlmCallSlots) null, new LlmRateLimits(Map.of()));

    static final String KEPT_TURN = "rateLimitTurnAtEpochMillis";
    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration RETRY_AHEAD = Duration.ofSeconds(1);

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
        ActivityExecutionContext context = Activity.getExecutionContext();
        Long kept = keptTurn(context);
        Duration startsIn = kept != null ? Duration.ofMillis(Math.max(0, kept - System.currentTimeMillis()))
                : slots.take(deployment, limit.interval(), limit.burstAllowance()).block(DATABASE_TIMEOUT).startsIn();
        if (kept == null && startsIn.compareTo(limit.maxWait()) > 0) {
            context.heartbeat(Map.of(KEPT_TURN, System.currentTimeMillis() + startsIn.toMillis()));
            throw ApplicationFailure.newBuilder()
                    .setType(LlmFailureTypes.RATE_LIMITED)
                    .setMessage("'" + deployment + "' is limited to " + limit.requestsPerMinute() + " calls a minute"
                            + " (keiko.llm.rate-limits); this call's turn is " + startsIn.toMillis() + " ms away")
                    .setNextRetryDelay(startsIn.compareTo(RETRY_AHEAD.multipliedBy(2)) > 0
                            ? startsIn.minus(RETRY_AHEAD) : startsIn.dividedBy(2))
                    .build();
        }
        if (kept != null) {
            context.heartbeat(0L); // the kept turn is used now; a later attempt takes a new one
        }
        if (startsIn.isPositive()) {
            HeartbeatingCall.await(() -> {
                Thread.sleep(startsIn);
                return null;
            }, LlmFailures::waitFailed);
        }
        return startsIn;
    }

    /** The turn an earlier attempt of this call kept, in epoch milliseconds, or null. */
    private static Long keptTurn(ActivityExecutionContext context) {
        Object details = context.getHeartbeatDetails(Object.class).orElse(null);
        return details instanceof Map<?, ?> map && map.get(KEPT_TURN) instanceof Number turn ? turn.longValue() : null;
    }
}
