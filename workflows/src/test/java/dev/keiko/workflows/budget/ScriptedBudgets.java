package dev.keiko.workflows.budget;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Budget activities with a fixed daily budget (null for none) that keep the usage they were asked to record. */
public class ScriptedBudgets implements BudgetActivities {

    public final List<RecordTokenUsageInput> recorded = new CopyOnWriteArrayList<>();
    private final Long dailyBudget;

    public ScriptedBudgets(Long dailyBudget) {
        this.dailyBudget = dailyBudget;
    }

    public static ScriptedBudgets unlimited() {
        return new ScriptedBudgets(null);
    }

    @Override
    public UserBudgetOutput userBudget(UserBudgetInput input) {
        if (dailyBudget == null) {
            return new UserBudgetOutput(null, null);
        }
        long spent = recorded.stream().mapToLong(usage -> usage.usage().totalTokens()).sum();
        return new UserBudgetOutput(dailyBudget, Math.max(0, dailyBudget - spent));
    }

    @Override
    public RecordTokenUsageOutput recordUsage(RecordTokenUsageInput input) {
        recorded.add(input);
        return new RecordTokenUsageOutput(true, recorded.stream().mapToLong(usage -> usage.usage().totalTokens()).sum());
    }
}
