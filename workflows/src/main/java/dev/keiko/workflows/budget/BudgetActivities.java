package dev.keiko.workflows.budget;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Token accounting in PostgreSQL: what each model call of a task spent, and what the task's owner
 * may still spend today (UTC) under the daily budget an admin set.
 *
 * <p>Only workflows started before model calls charged their owner themselves call these (version 1
 * of the {@code user-token-budget} change); workers keep them registered so that those replay and finish.
 *
 * <p>Each method is one short statement; workflows give them a 10 s start-to-close timeout and retry
 * them without limit. {@link #recordUsage} is idempotent per task and step: a retried call never
 * counts tokens twice.
 */
@ActivityInterface
public interface BudgetActivities {

    /** What the task's owner may still spend today; {@code remainingTokens} is null without a daily budget. */
    @ActivityMethod
    UserBudgetOutput userBudget(UserBudgetInput input);

    /** Records one model call's tokens against the task and its owner. */
    @ActivityMethod
    RecordTokenUsageOutput recordUsage(RecordTokenUsageInput input);
}
