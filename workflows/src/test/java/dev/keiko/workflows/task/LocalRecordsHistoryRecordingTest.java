package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.workflows.Await;
import dev.keiko.workflows.tool.ScriptedToolActivities;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs a tool task on version 1 of {@link TaskWorkflowImpl#LOCAL_RECORDS_CHANGE}, records its history and replays
 * it. {@code histories/task-workflow-tool-local-records.json}, which {@link TaskWorkflowReplayTest} replays, is a copy
 * of what this test writes to {@code target/histories/}: to record it again, run this test and copy it.
 *
 * <p>Marking the task running and recording its outcome run as local activities; the outcome's first two attempts
 * fail, as during a database outage, the next waits on a workflow timer, and the third writes it once. A second history,
 * {@code task-workflow-tool-local-records-cancelled.json}, is a tool task cancelled during its call: its outcome is
 * recorded by an ordinary activity, scheduled by the same workflow task that asks the call to stop.
 */
class LocalRecordsHistoryRecordingTest {

    private static final String TASK = "l1";
    private static final String CANCELLED = "l2";
    private static final Path RECORDED = Path.of("target", "histories");

    @RegisterExtension
    final TaskWorkflowFixture fixture = new TaskWorkflowFixture();

    @Test
    void recordsAndReplaysATaskWhoseRecordsAreLocalActivities() throws Exception {
        fixture.records.outcomeFailures.set(2);
        fixture.start(ScriptedToolActivities.answering());

        TaskWorkflowOutput output = fixture.workflow(TASK).run(TaskWorkflowTest.toolTask(TASK, 60));

        assertThat(output.result().success()).isTrue();
        assertThat(fixture.records.statuses).containsExactly("running", "completed");
        assertThat(fixture.records.outcomeFailures).hasValue(0);
        WorkflowExecutionHistory history = fixture.env.getWorkflowClient()
                .fetchHistory(TaskWorkflowIds.forTask(TASK));
        List<HistoryEvent> events = history.getEvents();
        assertThat(events).filteredOn(HistoryEvent::hasActivityTaskScheduledEventAttributes)
                .extracting(event -> event.getActivityTaskScheduledEventAttributes().getActivityType().getName())
                .containsExactly("CallTool");
        // The outcome's second failure waits 1 s, past the local retry threshold: its marker, a timer, then the
        // marker of the attempt that wrote.
        assertThat(events).filteredOn(event -> event.hasMarkerRecordedEventAttributes()
                && event.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")).hasSize(3);
        assertThat(events).filteredOn(HistoryEvent::hasTimerStartedEventAttributes).hasSize(2);
        assertThat(fixture.failedWorkflowTasks(TASK)).isZero();
        WorkflowReplayer.replayWorkflowExecution(history, TaskWorkflowImpl.class);
        Files.createDirectories(RECORDED);
        Files.writeString(RECORDED.resolve("task-workflow-tool-local-records.json"), history.toJson(true));
    }

    @Test
    void aCancelledTasksOutcomeIsAnOrdinaryActivityBesideTheCallsCancel() throws Exception {
        ScriptedToolActivities tools = ScriptedToolActivities.hanging();
        fixture.start(tools);
        TaskWorkflow workflow = fixture.workflow(CANCELLED);
        WorkflowClient.start(workflow::run, TaskWorkflowTest.toolTask(CANCELLED, 600));
        Await.until(() -> tools.calls.get() == 1);

        WorkflowStub.fromTyped(workflow).cancel();

        assertThatThrownBy(() -> WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class))
                .isInstanceOf(WorkflowFailedException.class).hasCauseInstanceOf(CanceledFailure.class);
        assertThat(fixture.records.statuses).containsExactly("running", "cancelled");
        WorkflowExecutionHistory history = fixture.env.getWorkflowClient()
                .fetchHistory(TaskWorkflowIds.forTask(CANCELLED));
        List<HistoryEvent> events = history.getEvents();
        HistoryEvent cancelRequested = events.stream()
                .filter(HistoryEvent::hasActivityTaskCancelRequestedEventAttributes).findFirst().orElseThrow();
        HistoryEvent outcome = events.stream().filter(event -> event.hasActivityTaskScheduledEventAttributes()
                && event.getActivityTaskScheduledEventAttributes().getActivityType().getName()
                        .equals("RecordOutcome")).findFirst().orElseThrow();
        assertThat(outcome.getActivityTaskScheduledEventAttributes().getWorkflowTaskCompletedEventId())
                .as("the outcome scheduled by the workflow task that asked the call to stop")
                .isEqualTo(cancelRequested.getActivityTaskCancelRequestedEventAttributes()
                        .getWorkflowTaskCompletedEventId());
        assertThat(fixture.failedWorkflowTasks(CANCELLED)).isZero();
        WorkflowReplayer.replayWorkflowExecution(history, TaskWorkflowImpl.class);
        Files.createDirectories(RECORDED);
        Files.writeString(RECORDED.resolve("task-workflow-tool-local-records-cancelled.json"), history.toJson(true));
    }
}
