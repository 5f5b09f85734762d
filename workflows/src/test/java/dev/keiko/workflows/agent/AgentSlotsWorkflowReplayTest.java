package dev.keiko.workflows.agent;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/** Fails when a change to {@link AgentSlotsWorkflowImpl} would break slot workflows already running. */
class AgentSlotsWorkflowReplayTest {

    /**
     * Two task workflows, the second told its place and served after the first; a grant to a workflow that never
     * ran taken back; a holder check; the limit raised; the agent deleted, and the workflow ended.
     */
    @Test
    void replaysARecordedHistory() {
        assertThatCode(() -> WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/agent-slots-workflow.json", AgentSlotsWorkflowImpl.class)).doesNotThrowAnyException();
    }
}
