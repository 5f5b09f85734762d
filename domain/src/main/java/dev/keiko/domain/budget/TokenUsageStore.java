package dev.keiko.domain.budget;

import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * The tokens each model call of a task spent, charged to the task's owner. A call is recorded once per
 * task and step, so a retried recording counts nothing twice. Days are UTC days.
 */
@Repository
public class TokenUsageStore {

    private static final int MODEL_MAX_LENGTH = 200;
    private static final String START_OF_TODAY = "date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'";

    private final DatabaseClient db;

    public TokenUsageStore(DatabaseClient db) {
        this.db = db;
    }

    /** Records one call's tokens; false when this task and step were already recorded or there is no such task. */
    public Mono<Boolean> record(UUID taskId, int step, String model, long prompt, long completion, long total) {
        GenericExecuteSpec insert = db.sql("INSERT INTO token_usage (task_id, step, user_id, model, prompt_tokens,"
                        + " completion_tokens, total_tokens, recorded_at)"
                        + " SELECT id, :step, owner_id, :model, :prompt, :completion, :total, now()"
                        + " FROM tasks WHERE id = :task ON CONFLICT (task_id, step) DO NOTHING")
                .bind("task", taskId)
                .bind("step", step)
                .bind("prompt", prompt)
                .bind("completion", completion)
                .bind("total", total);
        insert = model == null ? insert.bindNull("model", String.class) : insert.bind("model", fitted(model));
        return insert.fetch().rowsUpdated().map(rows -> rows > 0);
    }

    /** What the user spent since the start of today (UTC). */
    public Mono<Long> spentToday(UUID userId) {
        return db.sql("SELECT COALESCE(sum(total_tokens), 0)::bigint AS spent FROM token_usage"
                        + " WHERE user_id = :user AND recorded_at >= " + START_OF_TODAY)
                .bind("user", userId)
                .map(row -> row.get("spent", Long.class)).one();
    }

    /** What all of a task's calls spent. */
    public Mono<Long> spentByTask(UUID taskId) {
        return db.sql("SELECT COALESCE(sum(total_tokens), 0)::bigint AS spent FROM token_usage"
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

    // A provider's unusually long deployment name must not fail a recording that is retried without limit.
    private static String fitted(String model) {
        return model.length() <= MODEL_MAX_LENGTH ? model : model.substring(0, MODEL_MAX_LENGTH);
    }
}
