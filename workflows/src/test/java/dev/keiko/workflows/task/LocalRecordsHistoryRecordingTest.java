package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.workflows.tool.ScriptedToolActivities;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
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
 * fail, as during a database outage, and the third writes it once.
 */
class LocalRecordsHistoryRecordingTest {

    private static final String TASK = "l1";
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
        assertThat(events).filteredOn(event -> event.hasMarkerRecordedEventAttributes()
                && event.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")).hasSize(2);
        assertThat(fixture.failedWorkflowTasks(TASK)).isZero();
        WorkflowReplayer.replayWorkflowExecution(history, TaskWorkflowImpl.class);
        Files.createDirectories(RECORDED);
        Files.writeString(RECORDED.resolve("task-workflow-tool-local-records.json"), history.toJson(true));
    }
}
