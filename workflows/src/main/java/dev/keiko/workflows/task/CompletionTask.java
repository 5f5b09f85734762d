package dev.keiko.workflows.task;

import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.LlmActivities;
import dev.keiko.workflows.llm.TokenUsage;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a {@link TaskTypes#COMPLETION} task inside the task workflow: one chat completion as an activity. */
final class CompletionTask implements TaskRunner {

    private final StepListener listener;
    private String step;
    private String model;
    private TokenUsage tokens;

    CompletionTask(StepListener listener) {
        this.listener = listener;
    }

    @Override
    public TaskOutcome run(TaskWorkflowInput input, long startedAt) {
        CompletionTaskParameters parameters = CompletionTaskParameters.from(input.parameters());
        String name = StepLabels.completion(parameters.deployment());
        listener.started(name);
        step = name;
        ModelCallBudget budget = new ModelCallBudget(input.taskId(), null);
        long promptEstimate = TokenBudget.estimate(parameters.messages(), List.of());
        Integer cap = budget.beforeCall(TokenUsage.NONE, promptEstimate, parameters.maxTokens());
        boolean handsOverPartialAnswer = CancelledModelCalls.handOverPartialAnswers();
        LlmActivities llm = Workflow.newActivityStub(LlmActivities.class, TaskActivityOptions.modelCall(name,
                    TaskActivityOptions.agentPolicy(input), handsOverPartialAnswer));
        ChatCompletionOutput output = llm.complete(new ChatCompletionInput(input.taskId(), parameters.provider(),
                parameters.deployment(), parameters.messages(), List.of(), parameters.temperature(), cap,
                budget.chargedStep(1), promptEstimate, TaskActivityOptions.agentId(input)));
        boolean cutShort = handsOverPartialAnswer && CancelledModelCalls.cutShort();
        budget.afterCall(1, output.model(), output.usage(), cutShort);
        model = output.model();
        tokens = output.usage();
        if (cutShort) {
            return new TaskOutcome.Cancelled(new PartialAnswer(output.content(), output.usage(), List.of()),
                    metadata());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text", output.content());
        data.put("finishReason", output.finishReason());
        data.put("usage", output.usage());
        return new TaskOutcome.Completed(data, metadata());
    }

    @Override
    public RunMetadata metadata() {
        return new RunMetadata(step, model, tokens, List.of());
    }
}
