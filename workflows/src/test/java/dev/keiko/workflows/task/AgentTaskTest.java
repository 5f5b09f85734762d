package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.keiko.workflows.Await;
import dev.keiko.workflows.budget.ScriptedBudgets;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.ChatMessage;
import dev.keiko.workflows.llm.ScriptedLlmActivities;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.llm.TokenUsage;
import dev.keiko.workflows.tool.ScriptedToolActivities;
import dev.keiko.workflows.tool.ToolFailureTypes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AgentTaskTest {

    @RegisterExtension
    final TaskWorkflowFixture fixture = new TaskWorkflowFixture();
    private final TestWorkflowEnvironment env = fixture.env;
    private ScriptedBudgets budgets = ScriptedBudgets.unlimited();
    private final RecordingTaskRecords records = fixture.records;

    @Test
    void theModelsToolCallsRunAndTheirAnswersGoBackUntilItAnswers() {
        ScriptedLlmActivities llm = start(ScriptedToolActivities.answering(), call -> call == 1
                ? ScriptedLlmActivities.toolCalls(List.of(
                        new ToolCallRequest("call-1", "everything__echo", "{\"message\":\"a\"}"),
                        new ToolCallRequest("call-2", "everything__echo", "{\"message\":\"b\"}")), 10, 5)
                : ScriptedLlmActivities.text("Both echoed.", 30, 4));

        TaskWorkflowOutput output = workflow("a1").run(agent("a1", Map.of("goal", "Echo a and b",
                "tools", List.of("everything"), "deployment", "gpt-4o")));

        Map<?, ?> data = (Map<?, ?>) output.result().data();
        assertThat(data.get("answer")).isEqualTo("Both echoed.");
        assertThat(output.result().metadata()).containsEntry("tokens", Map.of("prompt", 40, "completion", 9,
                "total", 49));
        List<?> steps = (List<?>) data.get("steps");
        assertThat(steps.stream().map(step -> step instanceof AgentStep agentStep ? agentStep.name()
                : String.valueOf(((Map<?, ?>) step).get("name"))).toList()).containsExactly(
                "llm: gpt-4o step 1", "tool: everything/echo", "tool: everything/echo", "llm: gpt-4o step 2");
        assertThat(llm.requests.getFirst().tools()).extracting(tool -> tool.name()).containsExactly("everything__echo");
        List<ChatMessage> second = llm.requests.get(1).messages();
        assertThat(second).extracting(ChatMessage::role).containsExactly("user", "assistant", "tool", "tool");
        assertThat(second.get(1).toolCalls()).hasSize(2);
        assertThat(second.subList(2, 4)).extracting(ChatMessage::toolCallId, ChatMessage::content)
                .containsExactly(tuple("call-1", "echo: {\"message\":\"a\"}"),
                        tuple("call-2", "echo: {\"message\":\"b\"}"));
    }

    @Test
    void aToolErrorGoesBackToTheModelAsTheToolsAnswer() {
        ScriptedLlmActivities llm = start(ScriptedToolActivities.failingWith(ToolFailureTypes.TOOL_ERROR),
                call -> call == 1
                        ? ScriptedLlmActivities.toolCalls(List.of(new ToolCallRequest("c", "everything__echo", "{}")),
                                1, 1)
                        : ScriptedLlmActivities.text("The tool failed, sorry.", 1, 1));

        TaskWorkflowOutput output = workflow("a2").run(agent("a2", Map.of("goal", "try", "tools", List.of("everything"))));

        assertThat(((Map<?, ?>) output.result().data()).get("answer")).isEqualTo("The tool failed, sorry.");
        assertThat(llm.requests.get(1).messages().getLast().content()).isEqualTo("Error: tool said no");
    }

    @Test
    void anAgentThatNeverAnswersFailsWithMaxSteps() {
        start(ScriptedToolActivities.answering(), call -> ScriptedLlmActivities.toolCalls(
                List.of(new ToolCallRequest("c" + call, "everything__echo", "{}")), 2, 1));

        assertThatThrownBy(() -> workflow("a3").run(agent("a3", Map.of("goal", "loop", "tools", List.of("everything"),
                "maxSteps", 2)))).isInstanceOf(WorkflowFailedException.class);

        TaskResult result = records.results.getFirst();
        assertThat(result.errorType()).isEqualTo(TaskErrorTypes.MAX_STEPS);
        assertThat((List<?>) result.metadata().get("steps")).hasSize(4);
        assertThat(result.metadata()).containsEntry("tokens", Map.of("prompt", 4, "completion", 2, "total", 6));
    }

    @Test
    void cancellingAnAgentStopsItsToolCallAndKeepsTheStepsAndTokensSpent() {
        ScriptedToolActivities tools = ScriptedToolActivities.hanging();
        start(tools, call -> ScriptedLlmActivities.toolCalls(
                List.of(new ToolCallRequest("c", "everything__echo", "{}")), 7, 3));
        TaskWorkflow workflow = workflow("a4");
        WorkflowClient.start(workflow::run, agent("a4", Map.of("goal", "wait", "tools", List.of("everything"))));
        Await.until(() -> tools.calls.get() == 1);
        assertThat(workflow.progress().steps()).extracting(AgentStep::name).containsExactly("llm: default step 1");

        WorkflowStub.fromTyped(workflow).cancel();

        assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class))
                .hasCauseInstanceOf(CanceledFailure.class);
        TaskResult result = records.results.getFirst();
        assertThat(result.errorType()).isEqualTo(TaskErrorTypes.CANCELLED);
        assertThat((List<?>) result.metadata().get("steps")).hasSize(1);
        assertThat(result.metadata()).containsEntry("tokens", Map.of("prompt", 7, "completion", 3, "total", 10));
        Await.until(tools.sawCancellation::get);
    }

    @Test
    void aModelCallThatCouldOverrunTheBudgetIsNotMade() {
        ScriptedLlmActivities llm = start(ScriptedToolActivities.answering(), call -> ScriptedLlmActivities.toolCalls(
                List.of(new ToolCallRequest("c" + call, "everything__echo", "{}")), 150, 50));

        assertThatThrownBy(() -> workflow("a6").run(agent("a6", Map.of("goal", "spend", "tools", List.of("everything"),
                "maxTokens", 300)))).isInstanceOf(WorkflowFailedException.class);

        TaskResult result = records.results.getFirst();
        assertThat(result.errorType()).isEqualTo(TaskErrorTypes.BUDGET_EXCEEDED);
        assertThat(llm.requests).hasSize(1);
        assertThat(llm.requests.getFirst().maxTokens()).isLessThan(300).isPositive();
        assertThat(result.metadata()).containsEntry("tokens", Map.of("prompt", 150, "completion", 50, "total", 200));
    }

    @Test
    void aThousandStepAgentContinuesAsNewAndCompletesOnceWithEveryStep() {
        ScriptedLlmActivities llm = start(ScriptedToolActivities.answering(), call -> call < 1000
                ? ScriptedLlmActivities.toolCalls(List.of(new ToolCallRequest("c" + call, "everything__echo",
                        "{\"message\":\"" + call + "\"}")), 2, 1)
                : ScriptedLlmActivities.text("Done after a thousand calls.", 2, 1));

        TaskWorkflowOutput output = workflow("a7").run(agent("a7", Map.of("goal", "keep going",
                "tools", List.of("everything"), "maxSteps", 1000)));

        Map<?, ?> data = (Map<?, ?>) output.result().data();
        assertThat(data.get("answer")).isEqualTo("Done after a thousand calls.");
        List<?> steps = (List<?>) data.get("steps");
        assertThat(steps).hasSize(1999);
        assertThat(((Map<?, ?>) steps.getLast()).get("name")).isEqualTo("llm: default step 1000");
        assertThat(((Map<?, ?>) steps.getLast()).get("number")).isEqualTo(1999);
        assertThat(output.result().metadata()).containsEntry("tokens", Map.of("prompt", 2000, "completion", 1000,
                "total", 3000));
        // Each call saw the whole conversation, across runs: the goal, then a call and an answer per step.
        assertThat(llm.requests).hasSize(1000);
        // Each call charges its owner under its own step, also in the runs continued as new.
        assertThat(llm.requests).extracting(ChatCompletionInput::step)
                .isEqualTo(IntStream.rangeClosed(1, 1000).boxed().toList());
        assertThat(llm.requests.getLast().messages()).hasSize(1 + 2 * 999);
        assertThat(llm.requests.getLast().messages().get(1998).content()).isEqualTo("echo: {\"message\":\"999\"}");
        // One task in the read model: marked running once, one outcome.
        assertThat(records.statuses).containsExactly("running", "completed");
        TaskProgress progress = env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class, TaskWorkflowIds.forTask("a7"))
                .progress();
        assertThat(progress.stepCount()).isEqualTo(1999);
        assertThat(progress.steps()).hasSize(TaskProgress.RECENT_STEPS);
        assertThat(progress.steps().getLast().name()).isEqualTo("llm: default step 1000");

        List<Integer> runLengths = runHistoryLengths(TaskWorkflowIds.forTask("a7"));
        assertThat(runLengths).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(length -> assertThat(length).isLessThan(AgentTask.HISTORY_EVENTS_PER_RUN + 100));
    }

    @Test
    void aContinuedRunKeepsTheTasksTimeoutAndStepsFromItsFirstRun() {
        start(ScriptedToolActivities.hanging(), call -> ScriptedLlmActivities.toolCalls(
                List.of(new ToolCallRequest("c", "everything__echo", "{}")), 5, 1));

        assertThatThrownBy(() -> workflow("a8").run(continuedAfterTwoSteps("a8", 590_000)))
                .isInstanceOf(WorkflowFailedException.class);

        TaskResult result = records.results.getFirst();
        assertThat(result.errorType()).isEqualTo(TaskErrorTypes.TIMEOUT);
        assertThat(result.executionTimeSeconds()).isBetween(599.0, 620.0);
        assertThat((List<?>) result.metadata().get("steps")).hasSize(3);
        assertThat(result.metadata()).containsEntry("tokens", Map.of("prompt", 10, "completion", 2, "total", 12));
        // A continued run does not mark the task running again.
        assertThat(records.statuses).containsExactly("failed");
    }

    @Test
    void aRunContinuedPastTheDeadlineTimesOutWithWhatWasSpentBefore() {
        start(ScriptedToolActivities.hanging(), call -> ScriptedLlmActivities.text("too late", 1, 1));

        assertThatThrownBy(() -> workflow("a9").run(continuedAfterTwoSteps("a9", 700_000)))
                .isInstanceOf(WorkflowFailedException.class);

        TaskResult result = records.results.getFirst();
        assertThat(result.errorType()).isEqualTo(TaskErrorTypes.TIMEOUT);
        assertThat((List<?>) result.metadata().get("steps")).hasSize(2);
        assertThat(result.metadata()).containsEntry("tokens", Map.of("prompt", 5, "completion", 1, "total", 6));
    }

    @Test
    void aToolTheServerDoesNotOfferFailsTheTask() {
        start(ScriptedToolActivities.answering(), call -> ScriptedLlmActivities.text("never", 0, 0));

        assertThatThrownBy(() -> workflow("a5").run(agent("a5", Map.of("goal", "x", "tools",
                List.of("everything/teleport"))))).isInstanceOf(WorkflowFailedException.class);
        assertThat(records.results.getFirst().errorMessage()).contains("has no tool 'teleport'");
    }

    /** A 600 s agent task continued after a model call and a tool call, which started {@code startedAgo} ms ago. */
    private TaskWorkflowInput continuedAfterTwoSteps(String taskId, long startedAgo) {
        List<AgentStep> earlier = List.of(new AgentStep(1, "llm", "llm: default step 1", 10, 6, null),
                new AgentStep(2, "tool", "tool: everything/echo", 5, 0, null));
        AgentCheckpoint checkpoint = new AgentCheckpoint(env.currentTimeMillis() - startedAgo, 2,
                List.of(ChatMessage.user("wait")), earlier, new TokenUsage(5, 1, 6), 6, 1);
        return new TaskWorkflowInput(taskId, TaskTypes.AGENT, Map.of("goal", "wait", "tools", List.of("everything")),
                600, checkpoint, null);
    }

    /** The number of events of each run of the workflow, newest first. */
    private List<Integer> runHistoryLengths(String workflowId) {
        List<Integer> lengths = new java.util.ArrayList<>();
        String runId = null;
        do {
            var history = env.getWorkflowClient().fetchHistory(workflowId, runId);
            lengths.add(history.getEvents().size());
            runId = history.getEvents().getFirst().getWorkflowExecutionStartedEventAttributes()
                    .getContinuedExecutionRunId();
        } while (!runId.isEmpty());
        return lengths;
    }

    private ScriptedLlmActivities start(ScriptedToolActivities tools, Function<Integer, ChatCompletionOutput> answers) {
        ScriptedLlmActivities llm = new ScriptedLlmActivities(answers);
        fixture.start(tools, llm, budgets);
        return llm;
    }

    private TaskWorkflow workflow(String taskId) {
        return fixture.workflow(taskId);
    }

    private static TaskWorkflowInput agent(String taskId, Map<String, Object> parameters) {
        return new TaskWorkflowInput(taskId, TaskTypes.AGENT, parameters, 600);
    }
}
