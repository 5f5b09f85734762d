package dev.keiko.workflows.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.workflows.TaskQueues;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs a slot workflow through what its version 1 ({@code limits-reread-and-line-rebuilt}) does, records the
 * history of both its runs and replays them. {@code histories/agent-slots-workflow-rebuilt.json} and
 * {@code histories/agent-slots-workflow-continued.json}, which {@link AgentSlotsWorkflowReplayTest} replays,
 * are copies of what this test writes to {@code target/histories/}: to record them again, run it and copy them.
 *
 * <p>The first run rebuilds its holder and its line from what PostgreSQL holds (a request signalled with the
 * start keeps its place), serves the line, ignores a request that arrives after its task gave the slot back,
 * takes a limit change whose signal was lost at its next check (where it rereads the limits), a signalled one
 * at once, frees a holder terminated from outside at a check, and continues as new with holders and waiters.
 * The continued run keeps them, serves the next in line, still ignores the late request, and once the agent
 * is deleted refuses its waiters and ends when its last holder leaves.
 */
class AgentSlotsHistoryRecordingTest {

    private static final String AGENT = "agent-2";
    private static final long CHECK_SECONDS = 10;
    /** Past the first run's scenario, so that it continues as new only when the test makes it. */
    private static final int MAX_HISTORY_EVENTS = 250;
    private static final Path RECORDED = Path.of("target", "histories");

    private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    private final WorkflowClient client = env.getWorkflowClient();
    private final ScriptedSlotActivities activities =
            new ScriptedSlotActivities(client, new AgentLimits(true, true, 1), CHECK_SECONDS);
    private final Set<String> started = new HashSet<>();

    AgentSlotsHistoryRecordingTest() {
        Worker worker = env.newWorker(TaskQueues.TASKS);
        worker.registerWorkflowImplementationTypes(AgentSlotsWorkflowImpl.class, SlotTakerWorkflow.Impl.class);
        worker.registerActivitiesImplementations(activities);
        env.start();
    }

    @AfterEach
    void close() {
        env.close();
    }

    @Test
    void recordsAndReplaysBothRunsOfASelfHealingSlotWorkflow() throws Exception {
        // PostgreSQL holds one task running and two pending; the low one asks again as the workflow starts.
        List.of("task-rec-running", "task-rec-low", "task-rec-high").forEach(this::startTaker);
        activities.unfinished.set(new ReadLimitsOutput(null, List.of("task-rec-running"),
                List.of(new SlotRequest("task-rec-low", 3, 1_000), new SlotRequest("task-rec-high", 1, 2_000))));
        WorkflowStub slots = client.newUntypedWorkflowStub("AgentSlotsWorkflow", WorkflowOptions.newBuilder()
                .setWorkflowId(AgentSlotsIds.forAgent(AGENT)).setTaskQueue(TaskQueues.TASKS).build());
        slots.signalWithStart("requestSlot", new Object[] {new SlotRequest("task-rec-low", 3, 1_000)},
                new Object[] {new AgentSlotsInput(AGENT, CHECK_SECONDS, null, MAX_HISTORY_EVENTS)});
        String firstRun = runId();
        awaitSlots(List.of("task-rec-running"), List.of("task-rec-high", "task-rec-low"));

        release("task-rec-running");
        awaitSlots(List.of("task-rec-high"), List.of("task-rec-low"));
        release("task-rec-high");
        awaitSlots(List.of("task-rec-low"), List.of());

        // A late request of a task that gave its slot back is ignored; the next one waits.
        request("task-rec-high", 1, 2_000);
        request("task-rec-n1", 2, 3_000);
        awaitSlots(List.of("task-rec-low"), List.of("task-rec-n1"));

        // The limit raised without a word to the workflow: its next check rereads it.
        activities.limits.set(new AgentLimits(true, true, 2));
        env.sleep(Duration.ofSeconds(CHECK_SECONDS + 1));
        awaitSlots(List.of("task-rec-low", "task-rec-n1"), List.of());

        request("task-rec-n3", 2, 5_000);
        request("task-rec-n2", 0, 4_000);
        awaitSlots(List.of("task-rec-low", "task-rec-n1"), List.of("task-rec-n2", "task-rec-n3"));
        await().untilAsserted(() -> assertThat(taker("task-rec-n3").heard().lastPlace())
                .isEqualTo(new QueuePlace(2, 2, true)));

        // Raised again, and signalled: served at once.
        activities.change(AGENT, new AgentLimits(true, true, 3));
        awaitSlots(List.of("task-rec-low", "task-rec-n1", "task-rec-n2"), List.of("task-rec-n3"));

        // A holder terminated from outside is freed at the next check.
        client.newUntypedWorkflowStub("task-rec-low").terminate("recording");
        env.sleep(Duration.ofSeconds(CHECK_SECONDS + 1));
        awaitSlots(List.of("task-rec-n1", "task-rec-n2", "task-rec-n3"), List.of());

        request("task-rec-n4", 2, 6_000);
        request("task-rec-n5", 2, 7_000);
        awaitSlots(List.of("task-rec-n1", "task-rec-n2", "task-rec-n3"), List.of("task-rec-n4", "task-rec-n5"));
        assertThat(runId()).as("the scenario fits in the first run").isEqualTo(firstRun);

        // Repeated requests change nothing but lengthen the history, until it passes its limit.
        await().pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            request("task-rec-n5", 2, 7_000);
            assertThat(runId()).isNotEqualTo(firstRun);
        });
        String secondRun = runId();
        awaitSlots(List.of("task-rec-n1", "task-rec-n2", "task-rec-n3"), List.of("task-rec-n4", "task-rec-n5"));

        release("task-rec-n1");
        awaitSlots(List.of("task-rec-n2", "task-rec-n3", "task-rec-n4"), List.of("task-rec-n5"));
        request("task-rec-high", 1, 2_000);
        request("task-rec-n6", 2, 8_000);
        awaitSlots(List.of("task-rec-n2", "task-rec-n3", "task-rec-n4"), List.of("task-rec-n5", "task-rec-n6"));

        // Deleted: the waiters are refused, and the workflow ends once its holders have left.
        activities.change(AGENT, new AgentLimits(false, false, 0));
        await().untilAsserted(() -> assertThat(taker("task-rec-n6").heard().answers())
                .containsExactly(new SlotAnswer(AGENT, false)));
        List.of("task-rec-n2", "task-rec-n3", "task-rec-n4").forEach(this::release);
        await().untilAsserted(() -> assertThat(client.newUntypedWorkflowStub(AgentSlotsIds.forAgent(AGENT))
                .describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED));
        assertThat(runId()).as("the continued run ended").isEqualTo(secondRun);

        WorkflowExecutionHistory first = client.fetchHistory(AgentSlotsIds.forAgent(AGENT), firstRun);
        WorkflowExecutionHistory second = client.fetchHistory(AgentSlotsIds.forAgent(AGENT), secondRun);
        assertThat(first.getLastEvent().getEventType())
                .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
        assertThat(second.getLastEvent().getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        for (WorkflowExecutionHistory history : List.of(first, second)) {
            assertThat(history.getEvents()).as("the version marker")
                    .anyMatch(event -> event.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED);
            WorkflowReplayer.replayWorkflowExecution(history, AgentSlotsWorkflowImpl.class);
        }
        Files.createDirectories(RECORDED);
        Files.writeString(RECORDED.resolve("agent-slots-workflow-rebuilt.json"), first.toJson(true));
        Files.writeString(RECORDED.resolve("agent-slots-workflow-continued.json"), second.toJson(true));
    }

    private String runId() {
        return client.newUntypedWorkflowStub(AgentSlotsIds.forAgent(AGENT)).describe().getExecution().getRunId();
    }

    private void request(String taskWorkflowId, int rank, long submittedAt) {
        startTaker(taskWorkflowId);
        client.newWorkflowStub(AgentSlotsWorkflow.class, AgentSlotsIds.forAgent(AGENT))
                .requestSlot(new SlotRequest(taskWorkflowId, rank, submittedAt));
    }

    private void startTaker(String taskWorkflowId) {
        if (started.add(taskWorkflowId)) {
            SlotTakerWorkflow taker = client.newWorkflowStub(SlotTakerWorkflow.class, WorkflowOptions.newBuilder()
                    .setWorkflowId(taskWorkflowId).setTaskQueue(TaskQueues.TASKS).build());
            WorkflowClient.start(taker::run);
        }
    }

    private void release(String taskWorkflowId) {
        client.newWorkflowStub(AgentSlotsWorkflow.class, AgentSlotsIds.forAgent(AGENT))
                .releaseSlot(new SlotRelease(taskWorkflowId));
    }

    private void awaitSlots(List<String> holders, List<String> waiting) {
        await().untilAsserted(() -> {
            AgentSlotsView view = client.newWorkflowStub(AgentSlotsWorkflow.class, AgentSlotsIds.forAgent(AGENT))
                    .slots();
            assertThat(view.holders()).containsExactlyElementsOf(holders);
            assertThat(view.waiting()).containsExactlyElementsOf(waiting);
        });
    }

    private SlotTakerWorkflow taker(String id) {
        return client.newWorkflowStub(SlotTakerWorkflow.class, id);
    }
}
