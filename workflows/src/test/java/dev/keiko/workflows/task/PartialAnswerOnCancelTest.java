package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.keiko.workflows.Await;
import dev.keiko.workflows.agent.AgentLimits;
import dev.keiko.workflows.agent.AgentSlotsIds;
import dev.keiko.workflows.agent.AgentSlotsWorkflow;
import dev.keiko.workflows.agent.AgentSlotsWorkflowImpl;
import dev.keiko.workflows.agent.ScriptedSlotActivities;
import dev.keiko.workflows.budget.ScriptedBudgets;
import dev.keiko.workflows.llm.ScriptedLlmActivities;
import dev.keiko.workflows.llm.StreamingLlmActivities;
import dev.keiko.workflows.llm.StreamingLlmActivities.OnCancel;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.tool.ScriptedToolActivities;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task cancelled while its model call answers ends {@code cancelled} as ever, and its recorded result keeps
 * what the call had written when it stopped, with the tokens spent.
 */
class PartialAnswerOnCancelTest {

    @RegisterExtension
    final TaskWorkflowFixture fixture = new TaskWorkflowFixture();
    private final RecordingTaskRecords records = fixture.records;

    @Test
    void aCompletionCancelledMidAnswerKeepsItsTextAndTokens() {
        StreamingLlmActivities llm = start(StreamingLlmActivities.firstCall(OnCancel.HAND_OVER_TEXT_SO_FAR));

        TaskWorkflow workflow = cancelWhileStreaming(llm, completion("p1"));

        TaskResult result = cancelledResult(workflow);
        assertThat(llm.sawCancellation).isTrue();
        Map<String, Object> data = map(result.data());
        assertThat(data).containsOnlyKeys("partialText", "usage")
                .containsEntry("partialText", StreamingLlmActivities.TEXT_SO_FAR);
        assertUsage(data.get("usage"), 12, 4, 16);
        assertThat(result.metadata()).containsEntry("step", "llm: default").containsEntry("model", "gpt-test")
                .containsEntry("tokens", Map.of("prompt", 12, "completion", 4, "total", 16));
    }

    @Test
    void aCompletionWhoseAnswerEndedJustAfterTheCancelIsCancelledWithTheWholeText() {
        StreamingLlmActivities llm = start(StreamingLlmActivities.firstCall(OnCancel.FINISH_ANSWER));

        TaskWorkflow workflow = cancelWhileStreaming(llm, completion("p2"));

        TaskResult result = cancelledResult(workflow);
        Map<String, Object> data = map(result.data());
        assertThat(data).containsEntry("partialText", "The capital of France is Paris.");
        assertUsage(data.get("usage"), 12, 7, 19);
    }

    @Test
    void aCallThatFailsAfterTheCancelLeavesTheTaskCancelledWithoutAnAnswer() {
        StreamingLlmActivities llm = start(StreamingLlmActivities.firstCall(OnCancel.FAIL));

        TaskWorkflow workflow = cancelWhileStreaming(llm, completion("p3"));

        TaskResult result = cancelledResult(workflow);
        assertThat(result.data()).isNull();
        assertThat(result.metadata()).containsEntry("step", "llm: default").doesNotContainKey("tokens");
    }

    @Test
    void anAgentCancelledMidAnswerKeepsItsStepsAndTheTokensOfEveryCall() {
        StreamingLlmActivities llm = start(new StreamingLlmActivities(2, call -> ScriptedLlmActivities.toolCalls(
                List.of(new ToolCallRequest("c1", "everything__echo", "{\"message\":\"a\"}")), 10, 5),
                OnCancel.HAND_OVER_TEXT_SO_FAR));

        TaskWorkflow workflow = cancelWhileStreaming(llm, new TaskWorkflowInput("p4", TaskTypes.AGENT,
                Map.of("goal", "Echo a, then answer", "tools", List.of("everything")), 600));

        TaskResult result = cancelledResult(workflow);
        Map<String, Object> data = map(result.data());
        assertThat(data).containsOnlyKeys("partialText", "usage", "steps")
                .containsEntry("partialText", StreamingLlmActivities.TEXT_SO_FAR);
        assertUsage(data.get("usage"), 22, 9, 31);
        assertThat((List<?>) data.get("steps")).map(PartialAnswerOnCancelTest::map)
                .extracting(step -> step.get("name") + " " + step.get("tokens") + " " + step.get("error"))
                .containsExactly("llm: default step 1 15 null", "tool: everything/echo 0 null",
                        "llm: default step 2 16 cancelled");
        assertThat(result.metadata()).containsEntry("tokens", Map.of("prompt", 22, "completion", 9, "total", 31));
        assertThat((List<?>) result.metadata().get("steps")).hasSize(3);
    }

    @Test
    void aTaskRoutedToAnAgentKeepsItsTextAndGivesItsSlotBack() {
        fixture.alsoRun(AgentSlotsWorkflowImpl.class);
        StreamingLlmActivities llm = StreamingLlmActivities.firstCall(OnCancel.HAND_OVER_TEXT_SO_FAR);
        fixture.start(ScriptedToolActivities.answering(), llm, ScriptedBudgets.unlimited(),
                new ScriptedSlotActivities(fixture.env.getWorkflowClient(), new AgentLimits(true, true, 1), 10));

        TaskWorkflow workflow = cancelWhileStreaming(llm, new TaskWorkflowInput("p5", TaskTypes.COMPLETION,
                Map.of("prompt", "Capital of France?"), 600, new TaskAgent(AgentSlotTaskTest.AGENT, "reviewer",
                        "normal", 1_000, AgentSlotTaskTest.DEFAULT_RETRIES)));

        TaskResult result = cancelledResult(workflow);
        assertThat(map(result.data())).containsEntry("partialText", StreamingLlmActivities.TEXT_SO_FAR);
        AgentSlotsWorkflow slots = fixture.env.getWorkflowClient().newWorkflowStub(AgentSlotsWorkflow.class,
                AgentSlotsIds.forAgent(AgentSlotTaskTest.AGENT));
        await().untilAsserted(() -> assertThat(slots.slots().holders()).isEmpty());
    }

    private StreamingLlmActivities start(StreamingLlmActivities llm) {
        fixture.start(ScriptedToolActivities.answering(), llm, ScriptedBudgets.unlimited());
        return llm;
    }

    /** Starts the task and cancels it once its model call streams. */
    private TaskWorkflow cancelWhileStreaming(StreamingLlmActivities llm, TaskWorkflowInput input) {
        TaskWorkflow workflow = fixture.workflow(input.taskId());
        WorkflowClient.start(workflow::run, input);
        Await.until(llm.streaming::get);
        WorkflowStub.fromTyped(workflow).cancel();
        return workflow;
    }

    /** The recorded result of a task that ended cancelled, as it always has. */
    private TaskResult cancelledResult(TaskWorkflow workflow) {
        WorkflowStub stub = WorkflowStub.fromTyped(workflow);
        assertThatThrownBy(() -> stub.getResult(TaskWorkflowOutput.class))
                .isInstanceOf(WorkflowFailedException.class).hasCauseInstanceOf(CanceledFailure.class);
        assertThat(stub.describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
        assertThat(records.statuses).containsExactly("running", "cancelled");
        TaskResult result = records.results.getFirst();
        assertThat(result.success()).isFalse();
        assertThat(result.errorType()).isEqualTo(TaskErrorTypes.CANCELLED);
        assertThat(result.errorMessage()).isEqualTo("Task was cancelled");
        return result;
    }

    private static void assertUsage(Object usage, long prompt, long completion, long total) {
        assertThat(map(usage)).containsEntry("promptTokens", (int) prompt)
                .containsEntry("completionTokens", (int) completion).containsEntry("totalTokens", (int) total);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object json) {
        return (Map<String, Object>) json;
    }

    private static TaskWorkflowInput completion(String taskId) {
        return new TaskWorkflowInput(taskId, TaskTypes.COMPLETION, Map.of("prompt", "Capital of France?"), 600);
    }
}
