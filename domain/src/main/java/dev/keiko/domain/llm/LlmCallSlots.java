package dev.keiko.domain.llm;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * The turns of rate-limited LLM deployments, shared by all workers through PostgreSQL with the
 * generic cell rate algorithm: each deployment's row holds the earliest time the next call may
 * start once the burst is spent, and one conditional upsert takes the next turn or leaves it. Times
 * are the database's, so workers' clocks do not matter.
 */
@Repository
public class LlmCallSlots {

    private static final int DEPLOYMENT_MAX_LENGTH = 200;

    private final DatabaseClient db;

    public LlmCallSlots(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Takes the next turn to call {@code deployment} unless it starts more than {@code horizon} from now.
     *
     * @param interval the time between two calls
     * @param burstAllowance how far ahead of their spacing calls may start
     */
    public Mono<CallTurn> take(String deployment, Duration interval, Duration burstAllowance, Duration horizon) {
        String turnStart = "next_call_at - make_interval(secs => :interval + :burst)";
        String key = fitted(deployment);
        return db.sql("INSERT INTO llm_rate_limits AS l (deployment, next_call_at)"
                        + " VALUES (:deployment, now() + make_interval(secs => :interval))"
                        + " ON CONFLICT (deployment) DO UPDATE"
                        + " SET next_call_at = greatest(l.next_call_at, now()) + make_interval(secs => :interval)"
                        + " WHERE greatest(l.next_call_at, now()) - make_interval(secs => :burst)"
                        + " <= now() + make_interval(secs => :horizon)"
                        + " RETURNING (extract(epoch FROM " + turnStart + ") * 1000000)::bigint AS starts_at_micros,"
                        + " extract(epoch FROM " + turnStart + " - now())::float8 AS starts_in")
                .bind("deployment", key)
                .bind("interval", seconds(interval))
                .bind("burst", seconds(burstAllowance))
                .bind("horizon", seconds(horizon))
                .map(row -> new CallTurn(true, instant(row.get("starts_at_micros", Long.class)),
                        nonNegative(row.get("starts_in", Double.class))))
                .one()
                .switchIfEmpty(Mono.defer(() -> nextTurn(key, burstAllowance)));
    }

    /** How long until {@code turn}, by the database's clock; negative once it has passed. */
    public Mono<Duration> until(Instant turn) {
        return db.sql("SELECT extract(epoch FROM :turn - now())::float8 AS until")
                .bind("turn", OffsetDateTime.ofInstant(turn, ZoneOffset.UTC))
                .map(row -> Duration.ofNanos((long) (row.get("until", Double.class) * 1e9)))
                .one();
    }

    /** The turn a caller would get next, without taking it. */
    private Mono<CallTurn> nextTurn(String deployment, Duration burstAllowance) {
        String turnStart = "greatest(next_call_at, now()) - make_interval(secs => :burst)";
        return db.sql("SELECT (extract(epoch FROM " + turnStart + ") * 1000000)::bigint AS starts_at_micros,"
                        + " extract(epoch FROM " + turnStart + " - now())::float8 AS starts_in"
                        + " FROM llm_rate_limits WHERE deployment = :deployment")
                .bind("deployment", deployment)
                .bind("burst", seconds(burstAllowance))
                .map(row -> new CallTurn(false, instant(row.get("starts_at_micros", Long.class)),
                        nonNegative(row.get("starts_in", Double.class))))
                .one();
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static Instant instant(long epochMicros) {
        return Instant.EPOCH.plusNanos(epochMicros * 1000);
    }

    private static Duration nonNegative(double seconds) {
        return seconds <= 0 ? Duration.ZERO : Duration.ofNanos((long) (seconds * 1e9));
    }

    private static String fitted(String deployment) {
        return deployment.length() <= DEPLOYMENT_MAX_LENGTH ? deployment : deployment.substring(0, DEPLOYMENT_MAX_LENGTH);
    }

    /**
     * A turn to call a deployment.
     *
     * @param taken whether the caller has it; when not, it is the turn the caller would have got
     * @param startsAt when it starts, on the database's clock; in the past when a burst allows it at once
     * @param startsIn how long until it starts, from the database's now; zero when it has
     */
    public record CallTurn(boolean taken, Instant startsAt, Duration startsIn) {
    }
}
