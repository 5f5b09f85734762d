package dev.keiko.domain.budget;

import dev.keiko.domain.budget.Reservation.Refused;
import dev.keiko.domain.budget.Reservation.Reserved;
import dev.keiko.domain.budget.Reservation.UnknownTask;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * The tokens each model call of a task is charged, against the task's owner and the UTC day. A call
 * reserves before it is made, in one statement that cannot let parallel calls of one user pass the
 * daily budget together, and is settled with its real usage after; each step of each attempt is
 * recorded once, so a retry counts nothing twice.
 */
@Repository
public class TokenUsageStore {

    private static final int MODEL_MAX_LENGTH = 200;
    private static final String TODAY = "(now() AT TIME ZONE 'UTC')::date";
    private static final String LEFT = "(SELECT budget FROM owner) - d.charged";

    // One statement: the owner's day row is locked by the upsert, so the check and the charge cannot
    // interleave with another reservation's; an attempt already reserved reserves nothing, and a
    // duplicate racing this one fails on the primary key, undoing the whole statement.
    private static final String RESERVE = "WITH owner AS ("
            + " SELECT t.owner_id, u.daily_token_budget AS budget, " + TODAY + " AS day"
            + " FROM tasks t JOIN users u ON u.id = t.owner_id WHERE t.id = :task AND NOT EXISTS"
            + " (SELECT 1 FROM token_usage WHERE task_id = :task AND step = :step AND attempt = :attempt)),"
            + " charged AS (INSERT INTO token_days AS d (user_id, day, charged, last_reserved)"
            + " SELECT owner_id, day, least(:wanted, budget), least(:wanted, budget) FROM owner"
            + " WHERE budget >= :least"
            + " ON CONFLICT (user_id, day) DO UPDATE SET charged = d.charged + least(:wanted, " + LEFT + "),"
            + " last_reserved = least(:wanted, " + LEFT + ") WHERE " + LEFT + " >= :least"
            + " RETURNING last_reserved),"
            + " lost AS (UPDATE token_usage SET state = 'lost', recorded_at = now() WHERE task_id = :task"
            + " AND step = :step AND attempt < :attempt AND state = 'reserved')"
            + " INSERT INTO token_usage (task_id, step, attempt, user_id, day, model, reserved_tokens,"
            + " prompt_tokens, completion_tokens, total_tokens, state, recorded_at)"
            + " SELECT :task, :step, :attempt, o.owner_id, o.day, :model, coalesce(c.last_reserved, 0), 0, 0, 0,"
            + " 'reserved', now() FROM owner o LEFT JOIN charged c ON true"
            + " WHERE o.budget IS NULL OR c.last_reserved IS NOT NULL"
            + " RETURNING reserved_tokens";

    private static final String SETTLE = "WITH settled AS (UPDATE token_usage SET state = 'settled',"
            + " model = coalesce(:model, model), prompt_tokens = :prompt, completion_tokens = :completion,"
            + " total_tokens = :total, recorded_at = now()"
            + " WHERE task_id = :task AND step = :step AND attempt = :attempt AND state <> 'settled'"
            + " RETURNING user_id, day, :total - reserved_tokens AS difference)"
            + " INSERT INTO token_days AS d (user_id, day, charged) SELECT user_id, day, difference FROM settled"
            + " ON CONFLICT (user_id, day) DO UPDATE SET charged = d.charged + EXCLUDED.charged";

    private static final String RECORD = "WITH recorded AS (INSERT INTO token_usage (task_id, step, attempt,"
            + " user_id, day, model, reserved_tokens, prompt_tokens, completion_tokens, total_tokens, state,"
            + " recorded_at) SELECT id, :step, 0, owner_id, " + TODAY + ", :model, 0, :prompt, :completion, :total,"
            + " 'settled', now() FROM tasks WHERE id = :task ON CONFLICT (task_id, step, attempt) DO NOTHING"
            + " RETURNING user_id, day, total_tokens)"
            + " INSERT INTO token_days AS d (user_id, day, charged) SELECT user_id, day, total_tokens FROM recorded"
            + " ON CONFLICT (user_id, day) DO UPDATE SET charged = d.charged + EXCLUDED.charged";

    private final DatabaseClient db;

    public TokenUsageStore(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Reserves what the attempt wants of its owner's budget today, or what is left when that is less
     * but at least {@code leastTokens}; an owner without a budget reserves nothing. Earlier attempts of
     * the step still reserved are marked lost: they stay charged at what they reserved. An attempt that
     * already reserved gets its reservation again.
     */
    public Mono<Reservation> reserve(ReservationRequest request) {
        GenericExecuteSpec reserve = db.sql(RESERVE)
                .bind("task", request.taskId())
                .bind("step", request.step())
                .bind("attempt", request.attempt())
                .bind("wanted", request.wantedTokens())
                .bind("least", request.leastTokens());
        reserve = bindModel(reserve, request.model());
        return reserve.map(row -> (Reservation) new Reserved(row.get("reserved_tokens", Long.class))).one()
                .onErrorResume(DataIntegrityViolationException.class, raced -> Mono.empty())
                .switchIfEmpty(Mono.defer(() -> earlier(request)));
    }

    /** Settles an attempt with its real usage; false when it was settled before (or never reserved). */
    public Mono<Boolean> settle(UUID taskId, int step, int attempt, String model, long prompt, long completion,
            long total) {
        GenericExecuteSpec settle = db.sql(SETTLE)
                .bind("task", taskId)
                .bind("step", step)
                .bind("attempt", attempt)
                .bind("prompt", prompt)
                .bind("completion", completion)
                .bind("total", total);
        return bindModel(settle, model).fetch().rowsUpdated().map(rows -> rows > 0);
    }

    /**
     * Records the tokens of a call whose workflow accounts for them itself (started before reservations);
     * false when this task and step were already recorded or there is no such task.
     */
    public Mono<Boolean> record(UUID taskId, int step, String model, long prompt, long completion, long total) {
        GenericExecuteSpec insert = db.sql(RECORD)
                .bind("task", taskId)
                .bind("step", step)
                .bind("prompt", prompt)
                .bind("completion", completion)
                .bind("total", total);
        return bindModel(insert, model).fetch().rowsUpdated().map(rows -> rows > 0);
    }

    /** What the user was charged today (UTC): calls settled, calls lost and calls in flight at what they reserved. */
    public Mono<Long> spentToday(UUID userId) {
        return db.sql("SELECT coalesce((SELECT charged FROM token_days WHERE user_id = :user AND day = " + TODAY
                        + "), 0)::bigint AS spent")
                .bind("user", userId)
                .map(row -> row.get("spent", Long.class)).one();
    }

    /** What all of a task's calls were charged. */
    public Mono<Long> spentByTask(UUID taskId) {
        return db.sql("SELECT COALESCE(sum(charged_tokens), 0)::bigint AS spent FROM token_usage"
                        + " WHERE task_id = :task")
                .bind("task", taskId)
                .map(row -> row.get("spent", Long.class)).one();
    }

    /** The task's owner and their daily budget; empty when there is no such task. */
    public Mono<OwnerBudget> ownerBudget(UUID taskId) {
        return db.sql("SELECT t.owner_id, u.daily_token_budget FROM tasks t JOIN users u ON u.id = t.owner_id"
                        + " WHERE t.id = :task")
                .bind("task", taskId)
                .map(row -> new OwnerBudget(row.get("owner_id", UUID.class), row.get("daily_token_budget", Long.class)))
                .one();
    }

    /** Why a reservation reserved nothing: the attempt had reserved before, the budget is short, or no task. */
    private Mono<Reservation> earlier(ReservationRequest request) {
        Mono<Reservation> again = db.sql("SELECT reserved_tokens FROM token_usage"
                        + " WHERE task_id = :task AND step = :step AND attempt = :attempt")
                .bind("task", request.taskId())
                .bind("step", request.step())
                .bind("attempt", request.attempt())
                .map(row -> (Reservation) new Reserved(row.get("reserved_tokens", Long.class))).one();
        return again.switchIfEmpty(Mono.defer(() -> ownerBudget(request.taskId())
                .flatMap(owner -> spentToday(owner.ownerId()).map(spent -> (Reservation) new Refused(
                        owner.dailyTokenBudget() == null ? 0 : owner.dailyTokenBudget(), spent)))
                .defaultIfEmpty(new UnknownTask())));
    }

    // A provider's unusually long deployment name must not fail a recording that is retried without limit.
    private static GenericExecuteSpec bindModel(GenericExecuteSpec spec, String model) {
        return model == null ? spec.bindNull("model", String.class)
                : spec.bind("model", model.length() <= MODEL_MAX_LENGTH ? model : model.substring(0, MODEL_MAX_LENGTH));
    }
}
