package dev.keiko.workflows.task;

import dev.keiko.workflows.budget.BudgetActivities;
import dev.keiko.workflows.budget.RecordTokenUsageInput;
import dev.keiko.workflows.budget.UserBudgetInput;
import dev.keiko.workflows.budget.UserBudgetOutput;
import dev.keiko.workflows.llm.TokenUsage;
import io.temporal.workflow.Workflow;

/**
 * The budgets around each model call of a task: the task's own {@code maxTokens}, checked here before
 * each call ({@link TaskErrorTypes#BUDGET_EXCEEDED}, the answer capped at what is left), and its owner's
 * daily budget, which the model-call activity itself reserves, enforces and settles.
 *
 * <p>Tasks started before that read the owner's budget and recorded the call's tokens with
 * {@link BudgetActivities} around the call, and replay that way.
 */
final class ModelCallBudget {

    static final String CHANGE_ID = "user-token-budget";
    /** The workflow reads the owner's budget before each call and records its tokens after. */
    private static final int CHECKED_BY_WORKFLOW = 1;
    /** The model-call activity reserves the call's tokens before it and settles them after. */
    private static final int RESERVED_BY_ACTIVITY = 2;

    private final String taskId;
    private final Long taskBudget;
    private final int version;

    ModelCallBudget(String taskId, Long taskBudget) {
        this.taskId = taskId;
        this.taskBudget = taskBudget;
        this.version = Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, RESERVED_BY_ACTIVITY);
    }

    /** The answer's token cap for the next call (null for none); throws when the call could overrun a budget. */
    Integer beforeCall(TokenUsage spent, long promptEstimate, Integer requestedCap) {
        Integer cap = TokenBudget.completionCap(taskBudget, spent, promptEstimate);
        if (version == CHECKED_BY_WORKFLOW) {
            UserBudgetOutput owner = budgets().userBudget(new UserBudgetInput(taskId));
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

    /** The step the model-call activity charges to the owner: {@code step}, or 0 when this workflow records it. */
    int chargedStep(int step) {
        return version == RESERVED_BY_ACTIVITY ? step : 0;
    }

    /**
     * Records the call's tokens when this workflow does. A call its task's cancel cut short ({@code cutShort})
     * spent its tokens all the same: they are recorded outside the cancelled scope.
     */
    void afterCall(int step, String model, TokenUsage usage, boolean cutShort) {
        if (version != CHECKED_BY_WORKFLOW) {
            return;
        }
        RecordTokenUsageInput record = new RecordTokenUsageInput(taskId, step, model, usage);
        if (cutShort) {
            Workflow.newDetachedCancellationScope(() -> budgets().recordUsage(record)).run();
        } else {
            budgets().recordUsage(record);
        }
    }

    private static BudgetActivities budgets() {
        return Workflow.newActivityStub(BudgetActivities.class, TaskActivityOptions.database());
    }
}
