package dev.keiko.domain.llm;

import java.time.Duration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * The turns of rate-limited LLM deployments, shared by all workers through PostgreSQL with the
 * generic cell rate algorithm: each deployment's row holds the earliest time the next call may
 * start once the burst is spent, and one conditional upsert takes a turn or refuses it. Times are
 * the database's, so workers' clocks do not matter.
 */
@Repository
public class LlmCallSlots {

    private static final int DEPLOYMENT_MAX_LENGTH = 200;

    private final DatabaseClient db;

    public LlmCallSlots(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Takes the next turn to call {@code deployment} unless it is more than {@code maxWait} away.
     *
     * @param interval the time between two calls
     * @param burstAllowance how far ahead of their spacing calls may start
     */
    public Mono<CallSlot> reserve(String deployment, Duration interval, Duration burstAllowance, Duration maxWait) {
        String key = fitted(deployment);
        return db.sql("INSERT INTO llm_rate_limits AS l (deployment, next_call_at)"
                        + " VALUES (:deployment, now() + make_interval(secs => :interval))"
                        + " ON CONFLICT (deployment) DO UPDATE"
                        + " SET next_call_at = greatest(l.next_call_at, now()) + make_interval(secs => :interval)"
                        + " WHERE greatest(l.next_call_at, now()) - make_interval(secs => :burst)"
                        + " <= now() + make_interval(secs => :maxWait)"
                        + " RETURNING extract(epoch FROM next_call_at - now()"
                        + " - make_interval(secs => :interval + :burst))::float8 AS wait")
                .bind("deployment", key)
                .bind("interval", seconds(interval))
                .bind("burst", seconds(burstAllowance))
                .bind("maxWait", seconds(maxWait))
                .map(row -> CallSlot.reserved(row.get("wait", Double.class)))
                .one()
                .switchIfEmpty(Mono.defer(() -> refused(key, burstAllowance)));
    }

    private Mono<CallSlot> refused(String deployment, Duration burstAllowance) {
        return db.sql("SELECT extract(epoch FROM greatest(next_call_at, now()) - now()"
                        + " - make_interval(secs => :burst))::float8 AS wait"
                        + " FROM llm_rate_limits WHERE deployment = :deployment")
                .bind("deployment", deployment)
                .bind("burst", seconds(burstAllowance))
                .map(row -> CallSlot.refused(row.get("wait", Double.class)))
                .one();
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static String fitted(String deployment) {
        return deployment.length() <= DEPLOYMENT_MAX_LENGTH ? deployment : deployment.substring(0, DEPLOYMENT_MAX_LENGTH);
    }

    /**
     * A turn to call a deployment.
     *
     * @param taken whether the turn was taken; when not, the caller should try again after {@code startsIn}
     * @param startsIn how long until the turn starts; zero when it has
     */
    public record CallSlot(boolean taken, Duration startsIn) {

        static CallSlot reserved(Double seconds) {
            return new CallSlot(true, duration(seconds));
        }

        static CallSlot refused(Double seconds) {
            return new CallSlot(false, duration(seconds));
        }

        private static Duration duration(Double seconds) {
            return seconds == null || seconds <= 0 ? Duration.ZERO : Duration.ofNanos((long) (seconds * 1e9));
        }
    }
}
