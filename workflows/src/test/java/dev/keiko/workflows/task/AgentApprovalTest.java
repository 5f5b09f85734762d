package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.keiko.workflows.Await;
import dev.keiko.workflows.budget.ScriptedBudgets;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.ChatMessage;
import dev.keiko.workflows.llm.ScriptedLlmActivities;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.tool.ScriptedToolActivities;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AgentApprovalTest {

    private static final Function<Integer, ChatCompletionOutput> ONE_ECHO = call -> call == 1
            ? ScriptedLlmActivities.toolCalls(List.of(new ToolCallRequest("call-1", "everything__echo",
                    "{\"message\":\"rm -rf\"}")), 5, 5)
            : ScriptedLlmActivities.text("done", 5, 5);

    @RegisterExtension
    final TaskWorkflowFixture fixture = new TaskWorkflowFixture();
    private final ScriptedToolActivities tools = ScriptedToolActivities.answering();
    private ScriptedLlmActivities llm;

    @Test
    void anApprovedCallRuns() {
        start(ONE_ECHO);
        TaskWorkflow workflow = startAgent("p1", 3600);
        awaitApproval(workflow);
        TaskProgress waiting = workflow.progress();
        assertThat(waiting.status()).isEqualTo("awaiting_approval");
        assertThat(waiting.approvals()).singleElement().satisfies(approval -> {
            assertThat(approval.approvalId()).isEqualTo("step1-1");
            assertThat(approval.toolCallId()).isEqualTo("call-1");
            assertThat(approval.tool()).isEqualTo("everything/echo");
            assertThat(approval.argumentsJson()).isEqualTo("{\"message\":\"rm -rf\"}");
        });
        assertThat(tools.calls.get()).isZero();

        ApprovalDecisionOutput decided = workflow.decideApproval(
                new ApprovalDecisionInput("step1-1", "approve", "fine", "alice"));

        assertThat(decided).isEqualTo(new ApprovalDecisionOutput("step1-1", "approve"));
        TaskWorkflowOutput output = WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class);
        assertThat(((Map<?, ?>) output.result().data()).get("answer")).isEqualTo("done");
        assertThat(tools.calls.get()).isEqualTo(1);
        assertThat(llm.requests.get(1).messages().getLast().content()).isEqualTo("echo: {\"message\":\"rm -rf\"}");
        // The wait and the decision are on the task's event stream.
        assertThat(fixture.records.announcements).containsExactly(
                "approval: everything/echo waits for a decision on step1-1 (tool call call-1)",
                "approval: everything/echo step1-1 approved by alice: fine");
    }

    @Test
    void aRejectedCallGoesBackToTheModelWithTheComment() {
        start(ONE_ECHO);
        TaskWorkflow workflow = startAgent("p2", 3600);
        awaitApproval(workflow);

        workflow.decideApproval(new ApprovalDecisionInput("step1-1", "reject", "too dangerous", "alice"));

        WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class);
        assertThat(tools.calls.get()).isZero();
        assertThat(llm.requests.get(1).messages().getLast().content())
                .isEqualTo("The call of everything/echo was rejected by alice: too dangerous");
    }

    @Test
    void anApprovalNobodyGivesInTimeRejectsTheCall() {
        start(ONE_ECHO);
        TaskWorkflow workflow = startAgent("p3", 60);

        WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class);

        assertThat(tools.calls.get()).isZero();
        assertThat(llm.requests.get(1).messages().getLast().content()).contains("No one approved the call within 60 s");
        // Announcements are not waited for: the last may land just after the task's result.
        await().untilAsserted(() -> assertThat(fixture.records.announcements).last().asString()
                .isEqualTo("approval: everything/echo step1-1 rejected: No one approved the call within 60 s"));
    }

    @Test
    void unknownOrAlreadyDecidedCallsAreRefused() {
        start(ONE_ECHO);
        TaskWorkflow workflow = startAgent("p4", 3600);
        awaitApproval(workflow);

        assertThatThrownBy(() -> workflow.decideApproval(new ApprovalDecisionInput("nope", "approve", null, "alice")))
                .isInstanceOf(WorkflowUpdateException.class)
                .rootCause().hasMessageContaining("No approval 'nope' is waiting; waiting: [step1-1]");
        // The model's own id is not what a decision names.
        assertThatThrownBy(() -> workflow.decideApproval(new ApprovalDecisionInput("call-1", "approve", null, "a")))
                .isInstanceOf(WorkflowUpdateException.class)
                .rootCause().hasMessageContaining("No approval 'call-1' is waiting");
        assertThatThrownBy(() -> workflow.decideApproval(new ApprovalDecisionInput("step1-1", "maybe", null, "alice")))
                .isInstanceOf(WorkflowUpdateException.class)
                .rootCause().hasMessageContaining("'decision' must be approve or reject");
        workflow.decideApproval(new ApprovalDecisionInput("step1-1", "approve", null, "alice"));
        WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class);
        assertThat(tools.calls.get()).isEqualTo(1);
    }

    @Test
    void aLaterCallThatReusesTheModelsIdWaitsForItsOwnDecision() {
        // Some models number their calls afresh in every answer: both answers call "call-1".
        start(call -> call <= 2
                ? ScriptedLlmActivities.toolCalls(List.of(new ToolCallRequest("call-1", "everything__echo",
                        "{\"message\":\"answer " + call + "\"}")), 5, 5)
                : ScriptedLlmActivities.text("done", 5, 5));
        TaskWorkflow workflow = startAgent("p5", 3600);
        awaitApproval(workflow);
        workflow.decideApproval(new ApprovalDecisionInput("step1-1", "approve", null, "alice"));

        Await.until(() -> workflow.progress().approvals().stream()
                .anyMatch(approval -> approval.approvalId().equals("step2-1")));
        assertThat(workflow.progress().approvals()).singleElement().satisfies(approval -> {
            assertThat(approval.toolCallId()).isEqualTo("call-1");
            assertThat(approval.argumentsJson()).isEqualTo("{\"message\":\"answer 2\"}");
        });
        assertThat(tools.calls.get()).isEqualTo(1);
        assertThatThrownBy(() -> workflow.decideApproval(new ApprovalDecisionInput("step1-1", "approve", null, "a")))
                .isInstanceOf(WorkflowUpdateException.class).rootCause().hasMessageContaining("No approval 'step1-1'");
        workflow.decideApproval(new ApprovalDecisionInput("step2-1", "reject", "once is enough", "alice"));

        WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class);
        assertThat(tools.calls.get()).isEqualTo(1);
        assertThat(llm.requests.get(2).messages().getLast().content())
                .isEqualTo("The call of everything/echo was rejected by alice: once is enough");
    }

    @Test
    void aCallWithoutAModelIdCanBeApprovedAndAnswered() throws Exception {
        start(call -> call == 1
                ? ScriptedLlmActivities.toolCalls(List.of(new ToolCallRequest(null, "everything__echo",
                        "{\"message\":\"no id\"}")), 5, 5)
                : ScriptedLlmActivities.text("done", 5, 5));
        TaskWorkflow workflow = startAgent("p6", 3600);
        awaitApproval(workflow);
        assertThat(workflow.progress().approvals()).singleElement().satisfies(approval -> {
            assertThat(approval.approvalId()).isEqualTo("step1-1");
            assertThat(approval.toolCallId()).isEqualTo("keiko-1-1");
        });

        workflow.decideApproval(new ApprovalDecisionInput("step1-1", "approve", null, "alice"));

        WorkflowStub.fromTyped(workflow).getResult(10, TimeUnit.SECONDS, TaskWorkflowOutput.class);
        List<ChatMessage> second = llm.requests.get(1).messages();
        assertThat(second.get(1).toolCalls()).singleElement().extracting(ToolCallRequest::id).isEqualTo("keiko-1-1");
        assertThat(second.get(2).toolCallId()).isEqualTo("keiko-1-1");
        assertThat(second.get(2).content()).isEqualTo("echo: {\"message\":\"no id\"}");
        assertThat(fixture.failedWorkflowTasks("p6")).isZero();
    }

    @Test
    void cancellingATaskLeavesItsAnnouncementInFlightAlone() {
        start(ONE_ECHO);
        fixture.records.announcementTime = Duration.ofSeconds(2);
        TaskWorkflow workflow = startAgent("p7", 3600);
        awaitApproval(workflow);

        WorkflowStub.fromTyped(workflow).cancel();

        assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class))
                .isInstanceOf(WorkflowFailedException.class);
        assertThat(fixture.records.statuses).last().isEqualTo("cancelled");
        assertThat(fixture.history("p7")).noneMatch(event ->
                event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED);
        Await.until(() -> fixture.records.announcements.size() == 1);
    }

    private void start(Function<Integer, ChatCompletionOutput> answers) {
        llm = new ScriptedLlmActivities(answers);
        fixture.start(tools, llm, ScriptedBudgets.unlimited());
    }

    private TaskWorkflow startAgent(String taskId, int approvalTimeoutSeconds) {
        TaskWorkflow workflow = fixture.workflow(taskId);
        WorkflowClient.start(workflow::run, new TaskWorkflowInput(taskId, TaskTypes.AGENT, Map.of("goal", "clean up",
                "tools", List.of("everything"), "approvalRequired", List.of("everything/echo"),
                "approvalTimeoutSeconds", approvalTimeoutSeconds), 7200));
        return workflow;
    }

    private static void awaitApproval(TaskWorkflow workflow) {
        Await.until(() -> !workflow.progress().approvals().isEmpty());
    }
}
