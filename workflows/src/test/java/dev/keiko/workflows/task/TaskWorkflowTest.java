package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.workflows.Await;
import dev.keiko.workflows.tool.ScriptedToolActivities;
import dev.keiko.workflows.tool.ToolFailureTypes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TaskWorkflowTest {

    @RegisterExtension
    final TaskWorkflowFixture fixture = new TaskWorkflowFixture();
    private final TestWorkflowEnvironment env = fixture.env;
    private final RecordingTaskRecords records = fixture.records;

    @Test
    void toolTaskCompletesWithTheToolsContent() {
        start(ScriptedToolActivities.answering());

        TaskWorkflowOutput output = workflow("t1").run(toolTask("t1", 60));

        assertThat(output.result().success()).isTrue();
        assertThat(output.result().data()).isEqualTo(Map.of(
                "content", java.util.List.of(Map.of("type", "text", "text", "echo: hi"))));
        assertThat(output.result().metadata()).containsEntry("step", "tool: everything/echo");
        assertThat(records.statuses).containsExactly("running", "completed");
        assertThat(records.results.getFirst().success()).isTrue();
    }

    @Test
    void transientToolFailuresAreRetriedByThePolicy() {
        ScriptedToolActivities tools = ScriptedToolActivities.failingTransiently(2);
        start(tools);

        TaskWorkflowOutput output = workflow("t2").run(toolTask("t2", 600));

        assertThat(output.result().success()).isTrue();
        assertThat(tools.calls.get()).isEqualTo(3);
    }

    @Test
    void toolErrorFailsTheTaskWithoutRetry() {
        ScriptedToolActivities tools = ScriptedToolActivities.failingWith(ToolFailureTypes.TOOL_ERROR);
        start(tools);

        assertThatThrownBy(() -> workflow("t3").run(toolTask("t3", 60)))
                .isInstanceOf(WorkflowFailedException.class)
                .cause().isInstanceOfSatisfying(ApplicationFailure.class,
                        failure -> assertThat(failure.getType()).isEqualTo(ToolFailureTypes.TOOL_ERROR));
        assertThat(tools.calls.get()).isEqualTo(1);
        assertThat(records.statuses).containsExactly("running", "failed");
        TaskResult result = records.results.getFirst();
        assertThat(result.errorType()).isEqualTo(ToolFailureTypes.TOOL_ERROR);
        assertThat(result.errorMessage()).isEqualTo("tool said no");
    }

    @Test
    void taskPastItsTimeoutFailsWithTimeoutAndCancelsTheTool() {
        ScriptedToolActivities tools = ScriptedToolActivities.hanging();
        start(tools);

        assertThatThrownBy(() -> workflow("t4").run(toolTask("t4", 3)))
                .isInstanceOf(WorkflowFailedException.class)
                .cause().isInstanceOfSatisfying(ApplicationFailure.class,
                        failure -> assertThat(failure.getType()).isEqualTo(TaskErrorTypes.TIMEOUT));
        assertThat(records.statuses).containsExactly("running", "failed");
        assertThat(records.results.getFirst().errorType()).isEqualTo(TaskErrorTypes.TIMEOUT);
        Await.until(tools.sawCancellation::get);
    }

    @Test
    void cancellingTheWorkflowCancelsTheToolAndRecordsCancelled() {
        ScriptedToolActivities tools = ScriptedToolActivities.hanging();
        start(tools);
        TaskWorkflow workflow = workflow("t5");
        WorkflowClient.start(workflow::run, toolTask("t5", 600));
        Await.until(() -> tools.calls.get() == 1);
        assertThat(workflow.progress().status()).isEqualTo("running");
        assertThat(workflow.progress().step()).isEqualTo("tool: everything/echo");

        WorkflowStub.fromTyped(workflow).cancel();

        assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class))
                .isInstanceOf(WorkflowFailedException.class)
                .hasCauseInstanceOf(CanceledFailure.class);
        assertThat(records.statuses).containsExactly("running", "cancelled");
        assertThat(records.results.getFirst().errorType()).isEqualTo(TaskErrorTypes.CANCELLED);
        assertThat(env.getWorkflowClient().newUntypedWorkflowStub("task-t5").describe().getStatus())
                .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
        Await.until(tools.sawCancellation::get);
    }

    @Test
    void toolTaskWithoutServerFailsWithInvalidParameters() {
        start(ScriptedToolActivities.answering());

        assertThatThrownBy(() -> workflow("t6").run(new TaskWorkflowInput("t6", TaskTypes.TOOL,
                Map.of("tool", "echo"), 60)))
                .isInstanceOf(WorkflowFailedException.class);
        assertThat(records.results.getFirst().errorType()).isEqualTo(TaskErrorTypes.INVALID_PARAMETERS);
    }

    @Test
    void aServerNameOutsideTheSafeSetFailsBeforeAnyActivity() {
        start(ScriptedToolActivities.answering());

        assertThatThrownBy(() -> workflow("t7").run(new TaskWorkflowInput("t7", TaskTypes.TOOL,
                Map.of("server", "\u00e9".repeat(600), "tool", "echo", "arguments", Map.of()), 60)))
                .isInstanceOf(WorkflowFailedException.class);
        assertThat(records.results.getFirst().errorType()).isEqualTo(TaskErrorTypes.INVALID_PARAMETERS);
        assertThat(env.getWorkflowClient().fetchHistory("task-t7").getEvents().stream()
                .filter(event -> event.hasActivityTaskScheduledEventAttributes())
                .map(event -> event.getActivityTaskScheduledEventAttributes().getActivityType().getName()))
                .doesNotContain("CallTool");
    }

    private void start(ScriptedToolActivities tools) {
        fixture.start(tools);
    }

    private TaskWorkflow workflow(String taskId) {
        return fixture.workflow(taskId);
    }

    static TaskWorkflowInput toolTask(String taskId, long timeoutSeconds) {
        return new TaskWorkflowInput(taskId, TaskTypes.TOOL,
                Map.of("server", "everything", "tool", "echo", "arguments", Map.of("message", "hi")), timeoutSeconds);
    }
}
