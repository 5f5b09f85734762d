package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/** Fails when a change to {@link TaskWorkflowImpl} would break workflows already running. */
class TaskWorkflowReplayTest {

    @Test
    void replaysACompletedToolTaskWithARetriedCall() {
        assertThatCode(() -> WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/task-workflow-tool.json", TaskWorkflowImpl.class)).doesNotThrowAnyException();
    }

    @Test
    void replaysAToolTaskThatFailedOnItsParameters() {
        assertThatCode(() -> WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/task-workflow-invalid-parameters.json", TaskWorkflowImpl.class))
                .doesNotThrowAnyException();
    }

    @Test
    void replaysACompletionTask() {
        assertThatCode(() -> WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/task-workflow-completion.json", TaskWorkflowImpl.class)).doesNotThrowAnyException();
    }

    @Test
    void replaysAnAgentTaskWithParallelToolCalls() {
        assertThatCode(() -> WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/task-workflow-agent.json", TaskWorkflowImpl.class)).doesNotThrowAnyException();
    }

    @Test
    void replaysAnAgentTaskContinuedFromACheckpoint() {
        assertThatCode(() -> WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/task-workflow-agent-continued.json", TaskWorkflowImpl.class)).doesNotThrowAnyException();
    }

    @Test
    void replaysAnAgentTaskWhoseToolCallWasApproved() {
        assertThatCode(() -> WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/task-workflow-agent-approval.json", TaskWorkflowImpl.class)).doesNotThrowAnyException();
    }
}
