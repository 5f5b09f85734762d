package dev.keiko.workflows.task;

import dev.keiko.workflows.budget.BudgetActivities;
import dev.keiko.workflows.budget.RecordTokenUsageInput;
import dev.keiko.workflows.budget.UserBudgetInput;
import dev.keiko.workflows.budget.UserBudgetOutput;
import dev.keiko.workflows.llm.TokenUsage;
import io.temporal.workflow.Workflow;

/**
 * The budgets around each model call of a task: the task's own {@code maxTokens} and its owner's
 * daily budget. Before a call it refuses one that could overrun either ({@link TaskErrorTypes#BUDGET_EXCEEDED})
 * and caps the answer at what is left; after it, it records the call's tokens in PostgreSQL.
 */
final class ModelCallBudget {

    static final String CHANGE_ID = "user-token-budget";

    private final String taskId;
    private final Long taskBudget;
    private final boolean tracked;
    private final BudgetActivities budgets =
            Workflow.newActivityStub(BudgetActivities.class, DatabaseActivityOptions.get());

    ModelCallBudget(String taskId, Long taskBudget) {
        this.taskId = taskId;
        this.taskBudget = taskBudget;
        // Tasks started before per-user budgets existed replay without the accounting activities.
        this.tracked = Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) >= 1;
    }

    /** The answer's token cap for the next call (null for none); throws when the call could overrun a budget. */
    Integer beforeCall(TokenUsage spent, long promptEstimate, Integer requestedCap) {
        Integer cap = TokenBudget.completionCap(taskBudget, spent, promptEstimate);
        if (tracked) {
            UserBudgetOutput owner = budgets.userBudget(new UserBudgetInput(taskId));
            if (owner.remainingTokens() != null) {
                long left = owner.remainingTokens() - promptEstimate;
                if (left < TokenBudget.MIN_ANSWER_TOKENS) {
                    throw new TaskFailedException(TaskErrorTypes.BUDGET_EXCEEDED, "The next model call could overrun"
                            + " the owner's daily budget of " + owner.dailyTokenBudget() + " tokens ("
                            + owner.remainingTokens() + " left today); it was not made");
                }
                cap = cap == null ? (int) Math.min(Integer.MAX_VALUE, left) : (int) Math.min(cap, left);
            }
        }
        if (requestedCap == null || cap == null) {
            return requestedCap == null ? cap : requestedCap;
        }
        return Integer.valueOf(Math.min(cap, requestedCap));
    }

    void afterCall(int step, String model, TokenUsage usage) {
        if (tracked) {
            budgets.recordUsage(new RecordTokenUsageInput(taskId, step, model, usage));
        }
    }
}
