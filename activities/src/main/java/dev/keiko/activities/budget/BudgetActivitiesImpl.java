package dev.keiko.activities.budget;

import dev.keiko.domain.budget.OwnerBudget;
import dev.keiko.domain.budget.TokenUsageStore;
import dev.keiko.workflows.budget.BudgetActivities;
import dev.keiko.workflows.budget.RecordTokenUsageInput;
import dev.keiko.workflows.budget.RecordTokenUsageOutput;
import dev.keiko.workflows.budget.UserBudgetInput;
import dev.keiko.workflows.budget.UserBudgetOutput;
import dev.keiko.workflows.llm.TokenUsage;
import dev.keiko.workflows.task.TaskRecordActivities;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Component;

@Component("budgetActivities")
public class BudgetActivitiesImpl implements BudgetActivities {

    // Below the workflow's 10 s start-to-close timeout, so a stuck pool fails the attempt rather than the thread.
    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(8);

    private final TokenUsageStore usage;

    public BudgetActivitiesImpl(TokenUsageStore usage) {
        this.usage = usage;
    }

    @Override
    public UserBudgetOutput userBudget(UserBudgetInput input) {
        OwnerBudget owner = owner(UUID.fromString(input.taskId()));
        if (owner.dailyTokenBudget() == null) {
            return new UserBudgetOutput(null, null);
        }
        // A call may overrun what was left, so spending can exceed the budget; nothing is left then.
        long remaining = Math.max(0, owner.dailyTokenBudget() - spentToday(owner.ownerId()));
        return new UserBudgetOutput(owner.dailyTokenBudget(), remaining);
    }

    @Override
    public RecordTokenUsageOutput recordUsage(RecordTokenUsageInput input) {
        UUID taskId = UUID.fromString(input.taskId());
        OwnerBudget owner = owner(taskId);
        TokenUsage tokens = input.usage();
        boolean recorded = Boolean.TRUE.equals(usage.record(taskId, input.step(), input.model(),
                tokens.promptTokens(), tokens.completionTokens(), tokens.totalTokens()).block(DATABASE_TIMEOUT));
        return new RecordTokenUsageOutput(recorded, spentToday(owner.ownerId()));
    }

    private OwnerBudget owner(UUID taskId) {
        return usage.ownerBudget(taskId).blockOptional(DATABASE_TIMEOUT).orElseThrow(() -> ApplicationFailure
                .newNonRetryableFailure("Task " + taskId + " has no row in the read model",
                        TaskRecordActivities.MISSING_TASK));
    }

    private long spentToday(UUID userId) {
        Long spent = usage.spentToday(userId).block(DATABASE_TIMEOUT);
        return spent == null ? 0 : spent;
    }
}
