package dev.keiko.workflows.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.temporal.api.enums.v1.EventType;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fails when a change to {@link AgentSlotsWorkflowImpl} would break slot workflows already running. */
class AgentSlotsWorkflowReplayTest {

    /**
     * Two task workflows, the second told its place and served after the first; a grant to a workflow that never
     * ran taken back; a holder check; the limit raised; the agent deleted, and the workflow ended. Recorded
     * before {@code limits-reread-and-line-rebuilt}: it replays the path without it.
     */
    @Test
    void replaysARecordedHistory() {
        assertThatCode(() -> WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/agent-slots-workflow.json", AgentSlotsWorkflowImpl.class)).doesNotThrowAnyException();
    }

    /** Recorded with version 1 of {@code limits-reread-and-line-rebuilt} by {@link AgentSlotsHistoryRecordingTest}. */
    @ParameterizedTest
    @ValueSource(strings = {
        // the first run: holder and line rebuilt from PostgreSQL, a late request after its release ignored, a
        // limit change whose signal was lost taken at the check that rereads the limits, a signalled one at once,
        // a holder terminated from outside freed by the check; continued as new with holders and waiters
        "agent-slots-workflow-rebuilt.json",
        // the run it continued into: holders and line carried, the next served, the late request still ignored,
        // the agent deleted, its waiters refused, ended once its holders left
        "agent-slots-workflow-continued.json"
    })
    void replaysARecordedHistoryOfTheSelfHealingVersion(String history) throws IOException {
        WorkflowExecutionHistory recorded = read("histories/" + history);
        assertThat(recorded.getEvents()).as("recorded with the version marker")
                .anyMatch(event -> event.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
                        && event.getMarkerRecordedEventAttributes().getDetailsMap().get("changeId").getPayloads(0)
                                .getData().toStringUtf8().equals("\"limits-reread-and-line-rebuilt\""));
        assertThatCode(() -> WorkflowReplayer.replayWorkflowExecution(recorded, AgentSlotsWorkflowImpl.class))
                .doesNotThrowAnyException();
    }

    private static WorkflowExecutionHistory read(String resource) throws IOException {
        try (InputStream in = AgentSlotsWorkflowReplayTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return WorkflowExecutionHistory.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
