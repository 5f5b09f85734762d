package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.workflows.Await;
import dev.keiko.workflows.budget.ScriptedBudgets;
import dev.keiko.workflows.llm.ScriptedLlmActivities;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.tool.ScriptedToolActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AgentApprovalTest {

    @RegisterExtension
    final TaskWorkflowFixture fixture = new TaskWorkflowFixture();
    private ScriptedBudgets budgets = ScriptedBudgets.unlimited();
    private ScriptedToolActivities tools;
    private ScriptedLlmActivities llm;

    @BeforeEach
    void setUp() {
        tools = ScriptedToolActivities.answering();
        llm = new ScriptedLlmActivities(call -> call == 1
                ? ScriptedLlmActivities.toolCalls(List.of(new ToolCallRequest("call-1", "everything__echo",
                        "{\"message\":\"rm -rf\"}")), 5, 5)
                : ScriptedLlmActivities.text("done", 5, 5));
        fixture.start(tools, llm, budgets);
    }

    @Test
    void anApprovedCallRuns() {
        TaskWorkflow workflow = startAgent("p1", 3600);
        awaitApproval(workflow);
        TaskProgress waiting = workflow.progress();
        assertThat(waiting.status()).isEqualTo("awaiting_approval");
        assertThat(waiting.approvals()).singleElement().satisfies(approval -> {
            assertThat(approval.tool()).isEqualTo("everything/echo");
            assertThat(approval.argumentsJson()).isEqualTo("{\"message\":\"rm -rf\"}");
        });
        assertThat(tools.calls.get()).isZero();

        workflow.decideApproval(new ApprovalDecisionInput("call-1", "approve", "fine", "alice"));

        TaskWorkflowOutput output = WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class);
        assertThat(((Map<?, ?>) output.result().data()).get("answer")).isEqualTo("done");
        assertThat(tools.calls.get()).isEqualTo(1);
        assertThat(llm.requests.get(1).messages().getLast().content()).isEqualTo("echo: {\"message\":\"rm -rf\"}");
        // The wait and the decision are on the task's event stream.
        assertThat(fixture.records.announcements).containsExactly(
                "approval: everything/echo waits for a decision on call-1",
                "approval: everything/echo call-1 approved by alice: fine");
    }

    @Test
    void aRejectedCallGoesBackToTheModelWithTheComment() {
        TaskWorkflow workflow = startAgent("p2", 3600);
        awaitApproval(workflow);

        workflow.decideApproval(new ApprovalDecisionInput("call-1", "reject", "too dangerous", "alice"));

        WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class);
        assertThat(tools.calls.get()).isZero();
        assertThat(llm.requests.get(1).messages().getLast().content())
                .isEqualTo("The call of everything/echo was rejected by alice: too dangerous");
    }

    @Test
    void anApprovalNobodyGivesInTimeRejectsTheCall() {
        TaskWorkflow workflow = startAgent("p3", 60);

        WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class);

        assertThat(tools.calls.get()).isZero();
        assertThat(llm.requests.get(1).messages().getLast().content()).contains("No one approved the call within 60 s");
        assertThat(fixture.records.announcements).last().asString()
                .isEqualTo("approval: everything/echo call-1 rejected: No one approved the call within 60 s");
    }

    @Test
    void unknownOrAlreadyDecidedCallsAreRefused() {
        TaskWorkflow workflow = startAgent("p4", 3600);
        awaitApproval(workflow);

        assertThatThrownBy(() -> workflow.decideApproval(new ApprovalDecisionInput("nope", "approve", null, "alice")))
                .isInstanceOf(WorkflowUpdateException.class)
                .rootCause().hasMessageContaining("No tool call 'nope' is waiting for approval");
        assertThatThrownBy(() -> workflow.decideApproval(new ApprovalDecisionInput("call-1", "maybe", null, "alice")))
                .isInstanceOf(WorkflowUpdateException.class)
                .rootCause().hasMessageContaining("'decision' must be approve or reject");
        workflow.decideApproval(new ApprovalDecisionInput("call-1", "approve", null, "alice"));
        WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class);
        assertThat(tools.calls.get()).isEqualTo(1);
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
