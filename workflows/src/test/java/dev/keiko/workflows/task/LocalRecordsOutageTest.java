package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.workflows.tool.ScriptedToolActivities;
import io.temporal.testing.WorkflowReplayer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A database outage longer than a workflow task may last (80 % of its 10 s timeout, after which the SDK asks for a
 * new one), on a worker without sticky queues in real time, as the dev system runs: the outcome's local activity
 * waits for its later attempts on workflow timers, so one execution of it runs at a time and the worker's workflow
 * task slot is free between them.
 */
class LocalRecordsOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(9);

    @RegisterExtension
    final TaskWorkflowFixture fixture = TaskWorkflowFixture.realTimeWithoutStickyQueues();

    @Test
    void anOutcomeRecordedAcrossALongOutageRunsOneExecutionAtATime() throws Exception {
        fixture.records.outcomeFailsUntilNanos = System.nanoTime() + OUTAGE.toNanos();
        fixture.start(ScriptedToolActivities.answering());

        TaskWorkflowOutput output = fixture.workflow("lo1").run(TaskWorkflowTest.toolTask("lo1", 120));

        assertThat(output.result().success()).isTrue();
        assertThat(fixture.records.statuses).containsExactly("running", "completed");
        assertThat(fixture.records.outcomeAttempts).as("attempts of every execution, in order")
                .hasSizeGreaterThan(3).isSorted().doesNotHaveDuplicates();
        assertThat(fixture.failedWorkflowTasks("lo1")).isZero();
        WorkflowReplayer.replayWorkflowExecution(fixture.env.getWorkflowClient()
                .fetchHistory(TaskWorkflowIds.forTask("lo1")), TaskWorkflowImpl.class);
    }
}
