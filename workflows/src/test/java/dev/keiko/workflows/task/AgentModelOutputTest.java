package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.keiko.workflows.budget.ScriptedBudgets;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.ChatMessage;
import dev.keiko.workflows.llm.ScriptedLlmActivities;
import dev.keiko.workflows.llm.TokenUsage;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.tool.ScriptedToolActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Model output the workflow cannot use goes back to the model as data; no workflow task ever fails on it. */
class AgentModelOutputTest {

    @RegisterExtension
    final TaskWorkflowFixture fixture = new TaskWorkflowFixture();
    private final ScriptedToolActivities tools = ScriptedToolActivities.answering();
    private ScriptedLlmActivities llm;

    @Test
    void aCallWithoutAFunctionNameIsRefusedToTheModel() throws Exception {
        List<ChatMessage> answered = secondPrompt("m1", List.of(
                new ToolCallRequest("c1", null, "{}"),
                new ToolCallRequest("c2", " ", "{}"),
                new ToolCallRequest("c3", "everything__echo", "{\"message\":\"named\"}")));

        assertThat(answered.get(1).toolCalls()).extracting(ToolCallRequest::name)
                .containsExactly(ToolCallChecks.UNNAMED, ToolCallChecks.UNNAMED, "everything__echo");
        assertThat(answered.subList(2, 5)).extracting(ChatMessage::toolCallId, ChatMessage::content).containsExactly(
                tuple("c1", "Error: the tool call names no function; call one of the offered functions by its name"),
                tuple("c2", "Error: the tool call names no function; call one of the offered functions by its name"),
                tuple("c3", "echo: {\"message\":\"named\"}"));
        assertThat(tools.calls.get()).isEqualTo(1);
    }

    @Test
    void argumentsThatAreNotAJsonObjectAreRefusedBeforeAnyToolRuns() throws Exception {
        List<ChatMessage> answered = secondPrompt("m2", List.of(
                new ToolCallRequest("c1", "everything__echo", "{\"message\": oops"),
                new ToolCallRequest("c2", "everything__echo", "[1, 2]"),
                new ToolCallRequest("c3", "everything__echo", "{} {}"),
                new ToolCallRequest("c4", "everything__echo", null)));

        assertThat(answered.subList(2, 6)).extracting(ChatMessage::content).containsExactly(
                "Error: the arguments are not JSON; send them as one JSON object",
                "Error: the arguments are JSON but not an object; send them as one JSON object",
                "Error: the arguments are not JSON; send them as one JSON object",
                "echo: {}");
        // Missing arguments are an empty object, in the call and in the assistant message that goes back.
        assertThat(answered.get(1).toolCalls().get(3).argumentsJson()).isEqualTo("{}");
        assertThat(tools.calls.get()).isEqualTo(1);
    }

    @Test
    void anUnknownToolIsRefusedWithItsNameCut() throws Exception {
        String longName = "x".repeat(10_000);
        List<ChatMessage> answered = secondPrompt("m3", List.of(new ToolCallRequest("c1", "rm_rf", "{}"),
                new ToolCallRequest("c2", longName, "{}")));

        assertThat(answered.get(2).content()).isEqualTo("Error: there is no tool named 'rm_rf'");
        assertThat(answered.get(3).content()).isEqualTo("Error: there is no tool named '" + "x".repeat(64) + "…'");
        assertThat(tools.calls.get()).isZero();
    }

    @Test
    void missingRepeatedAndOverlongIdsAreReplacedSoEveryAnswerNamesItsOwnCall() throws Exception {
        List<ChatMessage> answered = secondPrompt("m4", List.of(
                new ToolCallRequest(null, "everything__echo", "{\"message\":\"a\"}"),
                new ToolCallRequest("same", "everything__echo", "{\"message\":\"b\"}"),
                new ToolCallRequest("same", "everything__echo", "{\"message\":\"c\"}"),
                new ToolCallRequest("", "everything__echo", "{\"message\":\"d\"}"),
                new ToolCallRequest("i".repeat(10_000), "everything__echo", "{\"message\":\"e\"}")));

        assertThat(answered.get(1).toolCalls()).extracting(ToolCallRequest::id)
                .containsExactly("keiko-1-1", "same", "keiko-1-3", "keiko-1-4", "keiko-1-5");
        assertThat(answered.subList(2, 7)).extracting(ChatMessage::toolCallId, ChatMessage::content).containsExactly(
                tuple("keiko-1-1", "echo: {\"message\":\"a\"}"), tuple("same", "echo: {\"message\":\"b\"}"),
                tuple("keiko-1-3", "echo: {\"message\":\"c\"}"), tuple("keiko-1-4", "echo: {\"message\":\"d\"}"),
                tuple("keiko-1-5", "echo: {\"message\":\"e\"}"));
    }

    @Test
    void aMadeIdNeverTakesAnIdTheModelGaveAnotherCall() throws Exception {
        List<ChatMessage> answered = secondPrompt("m7", List.of(
                new ToolCallRequest("keiko-1-2", "everything__echo", "{\"message\":\"a\"}"),
                new ToolCallRequest(null, "everything__echo", "{\"message\":\"b\"}"),
                new ToolCallRequest("keiko-1-2-2", "everything__echo", "{\"message\":\"c\"}"),
                new ToolCallRequest("keiko-1-2", "everything__echo", "{\"message\":\"d\"}")));

        assertThat(answered.get(1).toolCalls()).extracting(ToolCallRequest::id)
                .containsExactly("keiko-1-2", "keiko-1-2-3", "keiko-1-2-2", "keiko-1-4").doesNotHaveDuplicates();
        assertThat(answered.subList(2, 6)).extracting(ChatMessage::toolCallId, ChatMessage::content).containsExactly(
                tuple("keiko-1-2", "echo: {\"message\":\"a\"}"), tuple("keiko-1-2-3", "echo: {\"message\":\"b\"}"),
                tuple("keiko-1-2-2", "echo: {\"message\":\"c\"}"), tuple("keiko-1-4", "echo: {\"message\":\"d\"}"));
    }

    @Test
    void atMost32CallsOfOneAnswerRunAndTheModelHearsTheRestWereNotMade() throws Exception {
        List<ToolCallRequest> calls = IntStream.rangeClosed(1, 40).mapToObj(i -> new ToolCallRequest("c" + i,
                "everything__echo", "{\"message\":\"" + i + "\"}")).toList();

        List<ChatMessage> answered = secondPrompt("m5", calls);

        assertThat(tools.calls.get()).isEqualTo(ToolCallChecks.MAX_CALLS_PER_ANSWER);
        assertThat(answered).hasSize(2 + 40);
        assertThat(answered.get(2 + 31).content()).isEqualTo("echo: {\"message\":\"32\"}");
        assertThat(answered.subList(2 + 32, 2 + 40)).extracting(ChatMessage::content).containsOnly(
                "Error: the answer asked for 40 tool calls and at most 32 run per answer; this one was not made");
    }

    @Test
    void anAnswerWithNeitherTextNorToolCallsFailsTheTaskWithANamedError() {
        start(call -> new ChatCompletionOutput(null, List.of(), "length", new TokenUsage(5, 0, 5), "gpt-test"));
        TaskWorkflow workflow = startAgent("m6");

        assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(10, TimeUnit.SECONDS,
                TaskWorkflowOutput.class))
                .isInstanceOf(WorkflowFailedException.class)
                .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure ->
                        assertThat(failure.getType()).isEqualTo(TaskErrorTypes.INVALID_MODEL_OUTPUT));
        assertThat(fixture.records.results).singleElement().satisfies(result -> {
            assertThat(result.errorType()).isEqualTo(TaskErrorTypes.INVALID_MODEL_OUTPUT);
            assertThat(result.errorMessage()).contains("neither text nor tool calls (finish reason: length)");
        });
        assertThat(fixture.failedWorkflowTasks("m6")).isZero();
    }

    @Test
    void aToolOnlyAnswerWithoutTextGoesBackAsIs() throws Exception {
        List<ChatMessage> answered = secondPrompt("m7", List.of(new ToolCallRequest("c1", "everything__echo", "{}")));

        assertThat(answered.get(1).role()).isEqualTo("assistant");
        assertThat(answered.get(1).content()).isNull();
    }

    @Test
    void theTokenEstimateCountsACallWithoutANameOrArguments() {
        // A conversation recorded before the checks may hold such a call; estimating its next prompt must not throw.
        ChatMessage assistant = new ChatMessage("assistant", null, List.of(new ToolCallRequest("c1", null, null)), null);

        assertThat(TokenBudget.estimate(List.of(ChatMessage.user("12345678"), assistant), List.of())).isEqualTo(2);
    }

    /** Runs an agent whose first answer makes {@code calls}; answers what the model was sent in its second call. */
    private List<ChatMessage> secondPrompt(String taskId, List<ToolCallRequest> calls) throws Exception {
        start(call -> call == 1 ? ScriptedLlmActivities.toolCalls(calls, 5, 5) : ScriptedLlmActivities.text("ok", 5, 5));
        TaskWorkflow workflow = startAgent(taskId);

        TaskWorkflowOutput output = WorkflowStub.fromTyped(workflow).getResult(10, TimeUnit.SECONDS,
                TaskWorkflowOutput.class);

        assertThat(((Map<?, ?>) output.result().data()).get("answer")).isEqualTo("ok");
        assertThat(fixture.failedWorkflowTasks(taskId)).isZero();
        return llm.requests.get(1).messages();
    }

    private void start(Function<Integer, ChatCompletionOutput> answers) {
        llm = new ScriptedLlmActivities(answers);
        fixture.start(tools, llm, ScriptedBudgets.unlimited());
    }

    private TaskWorkflow startAgent(String taskId) {
        TaskWorkflow workflow = fixture.workflow(taskId);
        WorkflowClient.start(workflow::run, new TaskWorkflowInput(taskId, TaskTypes.AGENT,
                Map.of("goal", "work", "tools", List.of("everything")), 600));
        return workflow;
    }
}
