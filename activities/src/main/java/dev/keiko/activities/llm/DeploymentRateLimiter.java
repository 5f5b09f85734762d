package dev.keiko.activities.llm;

import dev.keiko.activities.HeartbeatingWait;
import dev.keiko.domain.llm.LlmCallSlots;
import dev.keiko.domain.llm.LlmCallSlots.CallTurn;
import dev.keiko.domain.llm.LlmRateLimits;
import dev.keiko.domain.llm.LlmRateLimits.RateLimit;
import dev.keiko.workflows.llm.LlmFailureTypes;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Holds each call to a rate-limited deployment until its turn, across all workers
 * ({@code keiko.llm.rate-limits.*}). A turn within the limit's {@code maxWait} is waited for inside the
 * activity, heartbeating so a cancellation still gets through. A turn up to {@code maxQueue} away is
 * taken and kept for the call in the attempt's heartbeat details, and the attempt ends as
 * {@link LlmFailureTypes#RATE_LIMITED} with its retry due just before that turn: the wait is Temporal's,
 * durable, and the retry calls at the kept turn. A longer queue takes nothing, so turns nobody comes back
 * for (a task cancelled or out of attempts) stay few. Turns are timed on the database's clock.
 */
@Component
public class DeploymentRateLimiter {

    static final DeploymentRateLimiter NONE = new DeploymentRateLimiter((LlmCallSlots) null, new LlmRateLimits(Map.of()));

    static final String KEPT_TURN = "rateLimitTurnAtEpochMicros";
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
        Duration startsIn = keptTurn(context, deployment, limit);
        if (startsIn == null) {
            startsIn = newTurn(context, deployment, limit);
        }
        if (startsIn.isPositive()) {
            Duration wait = startsIn;
            HeartbeatingWait.call(() -> {
                Thread.sleep(wait);
                return null;
            }, LlmFailures::waitFailed);
        }
        return startsIn;
    }

    /** How long until the turn an earlier attempt kept; null when there is none, or it is long past. */
    private Duration keptTurn(ActivityExecutionContext context, String deployment, RateLimit limit) {
        Object details = context.getHeartbeatDetails(Object.class).orElse(null);
        if (!(details instanceof Map<?, ?> map) || !(map.get(KEPT_TURN) instanceof Number micros)) {
            return null;
        }
        Instant turn = Instant.EPOCH.plusNanos(micros.longValue() * 1000);
        Duration until = slots.until(turn).block(DATABASE_TIMEOUT);
        if (until.compareTo(limit.maxWait().plus(RETRY_AHEAD)) > 0) {
            context.heartbeat(details);
            throw rateLimited(deployment, limit, until, justBefore(until));
        }
        context.heartbeat(0L); // the kept turn is used now; a later attempt takes a new one
        return until.negated().compareTo(limit.interval()) > 0 ? null : until.isNegative() ? Duration.ZERO : until;
    }

    private Duration newTurn(ActivityExecutionContext context, String deployment, RateLimit limit) {
        Duration horizon = limit.maxQueue();
        CallTurn turn = slots.take(deployment, limit.interval(), limit.burstAllowance(), horizon)
                .block(DATABASE_TIMEOUT);
        if (!turn.taken()) {
            Duration untilItFits = turn.startsIn().minus(horizon);
            throw rateLimited(deployment, limit, turn.startsIn(),
                    untilItFits.compareTo(RETRY_AHEAD) > 0 ? untilItFits : RETRY_AHEAD);
        }
        if (turn.startsIn().compareTo(limit.maxWait()) > 0) {
            context.heartbeat(Map.of(KEPT_TURN, turn.startsAt().getEpochSecond() * 1_000_000
                    + turn.startsAt().getNano() / 1000));
            throw rateLimited(deployment, limit, turn.startsIn(), justBefore(turn.startsIn()));
        }
        return turn.startsIn();
    }

    /** When to retry for a turn that far away: a second before it, or halfway there when it is close. */
    private static Duration justBefore(Duration turnIn) {
        return turnIn.compareTo(RETRY_AHEAD.multipliedBy(2)) > 0 ? turnIn.minus(RETRY_AHEAD) : turnIn.dividedBy(2);
    }

    private static ApplicationFailure rateLimited(String deployment, RateLimit limit, Duration turnIn, Duration retryIn) {
        return ApplicationFailure.newBuilder()
                .setType(LlmFailureTypes.RATE_LIMITED)
                .setMessage("'" + deployment + "' is limited to " + limit.requestsPerMinute() + " calls a minute"
                        + " (keiko.llm.rate-limits); this call's turn is " + turnIn.toMillis() + " ms away")
                .setNextRetryDelay(retryIn)
                .build();
    }
}
