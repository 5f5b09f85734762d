package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.workflows.budget.ScriptedBudgets;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.LlmFailureTypes;
import dev.keiko.workflows.llm.ScriptedLlmActivities;
import dev.keiko.workflows.tool.ScriptedToolActivities;
import dev.keiko.workflows.TemporalLimits;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CompletionTaskTest {

    @RegisterExtension
    final TaskWorkflowFixture fixture = new TaskWorkflowFixture();
    private final TestWorkflowEnvironment env = fixture.env;
    private ScriptedBudgets budgets = ScriptedBudgets.unlimited();
    private final RecordingTaskRecords records = fixture.records;

    @Test
    void aCompletionStoresTheTextAndTheTokens() {
        ScriptedLlmActivities llm = start(call -> ScriptedLlmActivities.text("Paris.", 12, 3));

        TaskWorkflowOutput output = workflow("c1").run(completion("c1", Map.of("prompt", "Capital of France?",
                "system", "Answer briefly.", "deployment", "gpt-4o", "temperature", 0.2, "maxTokens", 50)));

        assertThat(output.result().data()).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("text", "Paris.").containsEntry("finishReason", "stop");
        assertThat(output.result().metadata()).containsEntry("step", "llm: gpt-4o")
                .containsEntry("tokens", Map.of("prompt", 12, "completion", 3, "total", 15));
        var request = llm.requests.getFirst();
        assertThat(request.messages()).extracting(message -> message.role() + ":" + message.content())
                .containsExactly("system:Answer briefly.", "user:Capital of France?");
        assertThat(request.deployment()).isEqualTo("gpt-4o");
        assertThat(request.temperature()).isEqualTo(0.2);
        assertThat(request.maxTokens()).isEqualTo(50);
        assertThat(records.statuses).containsExactly("running", "completed");
    }

    @Test
    void theActivitySummaryOfALongDeploymentIsCutToTheServersLimit() {
        start(call -> ScriptedLlmActivities.text("ok", 1, 1));

        workflow("c7").run(completion("c7", Map.of("prompt", "hi", "deployment", "\u00e9".repeat(600))));

        HistoryEvent scheduled = env.getWorkflowClient().fetchHistory("task-c7").getEvents().stream()
                .filter(event -> event.hasActivityTaskScheduledEventAttributes()
                        && event.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("Complete"))
                .findFirst().orElseThrow();
        Payload summary = scheduled.getUserMetadata().getSummary();
        assertThat(summary.getSerializedSize()).isLessThanOrEqualTo(TemporalLimits.SUMMARY_PAYLOAD_BYTES);
        assertThat(DefaultDataConverter.STANDARD_INSTANCE.fromPayload(summary, String.class, String.class))
                .startsWith("llm: \u00e9\u00e9").endsWith("\u00e9\u2026");
    }

    @Test
    void aRateLimitedCallWaitsAtLeastWhatTheProviderAskedBeforeTheNextAttempt() {
        ScriptedLlmActivities llm = start(call -> {
            if (call == 1) {
                throw ScriptedLlmActivities.rateLimited(Duration.ofSeconds(30));
            }
            return ScriptedLlmActivities.text("ok", 1, 1);
        });

        long started = env.currentTimeMillis();
        workflow("c2").run(completion("c2", Map.of("prompt", "hi")));

        assertThat(llm.requests).hasSize(2);
        assertThat(env.currentTimeMillis() - started).isGreaterThanOrEqualTo(30_000);
    }

    @Test
    void aContentFilterRefusalFailsAtOnce() {
        ScriptedLlmActivities llm = start(call -> {
            throw ScriptedLlmActivities.failure(LlmFailureTypes.CONTENT_FILTERED);
        });

        assertThatThrownBy(() -> workflow("c3").run(completion("c3", Map.of("prompt", "something filtered"))))
                .isInstanceOf(WorkflowFailedException.class);
        assertThat(llm.requests).hasSize(1);
        assertThat(records.results.getFirst().errorType()).isEqualTo(LlmFailureTypes.CONTENT_FILTERED);
    }

    @Test
    void theModelCallItselfChargesTheOwnerWithoutBudgetActivities() {
        ScriptedLlmActivities llm = start(call -> ScriptedLlmActivities.text("ok", 40, 2));

        workflow("c5").run(completion("c5", Map.of("prompt", "Capital of France?", "maxTokens", 10_000)));

        var request = llm.requests.getFirst();
        assertThat(request.chargesOwner()).isTrue();
        assertThat(request.step()).isEqualTo(1);
        assertThat(request.promptEstimate()).isEqualTo(5); // 18 characters, about 4 a token
        assertThat(request.maxTokens()).isEqualTo(10_000);
        assertThat(budgets.recorded).isEmpty();
    }

    @Test
    void aCallTheActivityRefusesForTheOwnersDailyBudgetFailsTheTaskAtOnce() {
        ScriptedLlmActivities llm = start(call -> {
            throw ScriptedLlmActivities.failure(LlmFailureTypes.BUDGET_EXCEEDED);
        });

        assertThatThrownBy(() -> workflow("c6").run(completion("c6", Map.of("prompt", "over budget"))))
                .isInstanceOf(WorkflowFailedException.class);
        assertThat(llm.requests).hasSize(1);
        TaskResult result = records.results.getFirst();
        assertThat(result.errorType()).isEqualTo(TaskErrorTypes.BUDGET_EXCEEDED);
        assertThat(result.errorMessage()).isEqualTo("provider said no");
    }

    @Test
    void parametersThatDoNotFitFailTheTaskWithoutCallingTheModel() {
        ScriptedLlmActivities llm = start(call -> ScriptedLlmActivities.text("never", 0, 0));

        assertThatThrownBy(() -> workflow("c4").run(completion("c4", Map.of("messages", List.of(Map.of("role",
                "wizard", "content", "hi"))))))
                .isInstanceOf(WorkflowFailedException.class);
        assertThat(llm.requests).isEmpty();
        TaskResult result = records.results.getFirst();
        assertThat(result.errorType()).isEqualTo(TaskErrorTypes.INVALID_PARAMETERS);
        assertThat(result.errorMessage()).contains("'parameters.messages[0]'.role");
    }

    private ScriptedLlmActivities start(Function<Integer, ChatCompletionOutput> answers) {
        ScriptedLlmActivities llm = new ScriptedLlmActivities(answers);
        fixture.start(ScriptedToolActivities.answering(), llm, budgets);
        return llm;
    }

    private TaskWorkflow workflow(String taskId) {
        return fixture.workflow(taskId);
    }

    private static TaskWorkflowInput completion(String taskId, Map<String, Object> parameters) {
        return new TaskWorkflowInput(taskId, TaskTypes.COMPLETION, parameters, 600);
    }
}
