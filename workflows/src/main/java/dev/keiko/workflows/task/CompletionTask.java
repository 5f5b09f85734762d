package dev.keiko.workflows.task;

import dev.keiko.workflows.TemporalLimits;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.LlmActivities;
import dev.keiko.workflows.llm.LlmFailureTypes;
import dev.keiko.workflows.llm.TokenUsage;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Runs a {@link TaskTypes#COMPLETION} task inside the task workflow: one chat completion as an activity. */
final class CompletionTask {

    private final Consumer<String> step;

    CompletionTask(Consumer<String> step) {
        this.step = step;
    }

    Map<String, Object> run(TaskWorkflowInput input, Map<String, Object> metadata) {
        CompletionTaskParameters parameters = CompletionTaskParameters.from(input.parameters());
        String name = "llm: " + (parameters.deployment() != null ? parameters.deployment() : "default");
        step.accept(name);
        metadata.put("step", name);
        ModelCallBudget budget = new ModelCallBudget(input.taskId(), null);
        long promptEstimate = TokenBudget.estimate(parameters.messages(), List.of());
        Integer cap = budget.beforeCall(TokenUsage.NONE, promptEstimate, parameters.maxTokens());
        LlmActivities llm = Workflow.newActivityStub(LlmActivities.class, options(name));
        ChatCompletionOutput output = llm.complete(new ChatCompletionInput(input.taskId(), parameters.provider(),
                parameters.deployment(), parameters.messages(), List.of(), parameters.temperature(), cap,
                budget.chargedStep(1), promptEstimate));
        budget.afterCall(1, output.model(), output.usage());
        metadata.put("model", output.model());
        metadata.put("tokens", Map.of("prompt", output.usage().promptTokens(),
                "completion", output.usage().completionTokens(), "total", output.usage().totalTokens()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text", output.content());
        data.put("finishReason", output.finishReason());
        data.put("usage", output.usage());
        return data;
    }

    /** Model calls: 2 minutes each, heartbeats so cancellation reaches them, at most 6 attempts. */
    static ActivityOptions options(String summary) {
        return options(summary, Duration.ofMinutes(2), 6);
    }

    /** LLM calls of any kind: heartbeats so cancellation reaches them, provider failures classified. */
    static ActivityOptions options(String summary, Duration startToClose, int maximumAttempts) {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(startToClose)
                .setHeartbeatTimeout(Duration.ofSeconds(5))
                .setCancellationType(ActivityCancellationType.TRY_CANCEL)
                .setSummary(TemporalLimits.summary(summary))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(2))
                        .setBackoffCoefficient(2)
                        .setMaximumInterval(Duration.ofMinutes(1))
                        .setMaximumAttempts(maximumAttempts)
                        .setDoNotRetry(LlmFailureTypes.NON_RETRYABLE.toArray(String[]::new))
                        .build())
                .build();
    }
}
