package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fails when a change to {@link TaskWorkflowImpl} would break workflows already running. */
class TaskWorkflowReplayTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "task-workflow-tool.json", // a tool task with a retried call
        "task-workflow-invalid-parameters.json", // a tool task that failed on its parameters
        "task-workflow-completion.json",
        "task-workflow-agent.json", // parallel tool calls
        "task-workflow-agent-continued.json", // a run continued from a checkpoint
        "task-workflow-agent-approval-before-events.json", // approved, recorded before approvals were announced
        "task-workflow-agent-approval.json", // approved, with the wait and the decision announced
        // approvals by workflow-made ids: one approved, a reused model id rejected; bad calls refused
        "task-workflow-agent-approval-ids.json"
    })
    void replaysARecordedHistory(String history) {
        assertThatCode(() -> WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + history,
                TaskWorkflowImpl.class)).doesNotThrowAnyException();
    }
}
