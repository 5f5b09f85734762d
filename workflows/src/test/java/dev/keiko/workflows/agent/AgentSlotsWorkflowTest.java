package dev.keiko.workflows.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.workflows.TaskQueues;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentSlotsWorkflowTest {

    private static final String AGENT = "a1";
    private static final long CHECK_SECONDS = 10;

    private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    private final WorkflowClient client = env.getWorkflowClient();
    private final ScriptedSlotActivities activities =
            new ScriptedSlotActivities(client, new AgentLimits(true, true, 1), CHECK_SECONDS);
    private final Set<String> started = new HashSet<>();

    AgentSlotsWorkflowTest() {
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
    void servesByPriorityThenSubmissionThenArrival() {
        startSlots(0);
        request("holder", 2, 0);
        awaitHolders("holder");
        request("low", 3, 1);
        request("normal-late", 2, 9);
        request("critical-late", 0, 5);
        request("normal-early", 2, 2);
        request("critical-early", 0, 3);
        request("normal-late-second", 2, 9);
        request("high", 1, 4);

        List<String> order = List.of("critical-early", "critical-late", "high", "normal-early", "normal-late",
                "normal-late-second", "low");
        await().untilAsserted(() -> assertThat(slots().slots().waiting()).isEqualTo(order));
        String holder = "holder";
        for (String next : order) {
            release(holder);
            awaitHolders(next);
            assertThat(taker(next).heard().answers()).containsExactly(new SlotAnswer(AGENT, true));
            holder = next;
        }
    }

    @Test
    void waitersAreToldTheirPlaceAsTheLineMoves() {
        startSlots(0);
        request("holder", 2, 0);
        request("w1", 2, 1);
        request("w2", 2, 2);
        await().untilAsserted(() -> assertThat(taker("w2").heard().lastPlace()).isEqualTo(new QueuePlace(2, 2, true)));
        assertThat(taker("w1").heard().lastPlace()).isEqualTo(new QueuePlace(1, 2, true));

        release("holder");

        await().untilAsserted(() -> assertThat(taker("w2").heard().lastPlace()).isEqualTo(new QueuePlace(1, 1, true)));
        assertThat(taker("w1").heard().answers()).containsExactly(new SlotAnswer(AGENT, true));
    }

    @Test
    void onlyTheHeadOfTheLineHearsEveryChangeAndANewcomerItsFirstPlace() {
        startSlots(0);
        request("holder", 2, 0);
        IntStream.rangeClosed(1, 12).forEach(i -> request("w" + i, 2, i));
        await().untilAsserted(() -> assertThat(taker("w12").heard().lastPlace()).isEqualTo(new QueuePlace(12, 12, true)));

        release("holder");

        await().untilAsserted(() -> assertThat(taker("w10").heard().lastPlace()).isEqualTo(new QueuePlace(9, 11, true)));
        // w11 moved into the first ten and hears it; w12 is still behind them and keeps its first place.
        await().untilAsserted(() -> assertThat(taker("w11").heard().lastPlace()).isEqualTo(new QueuePlace(10, 11, true)));
        assertThat(taker("w12").heard().places()).containsExactly(new QueuePlace(12, 12, true));
    }

    @Test
    void raisingTheLimitGrantsAtOnceAndLoweringItWaitsForHoldersToLeave() {
        startSlots(0);
        IntStream.rangeClosed(1, 4).forEach(i -> request("t" + i, 2, i));
        awaitHolders("t1");

        activities.change(AGENT, new AgentLimits(true, true, 3));
        awaitHolders("t1", "t2", "t3");

        activities.change(AGENT, new AgentLimits(true, true, 1));
        release("t1");
        release("t2");
        awaitHolders("t3");
        assertThat(slots().slots().waiting()).containsExactly("t4");
        release("t3");
        awaitHolders("t4");
    }

    @Test
    void aDeactivatedAgentGrantsNothingUntilActivatedAgain() {
        startSlots(0);
        request("t1", 2, 1);
        request("t2", 2, 2);
        awaitHolders("t1");

        activities.change(AGENT, new AgentLimits(true, false, 1));
        await().untilAsserted(() -> assertThat(taker("t2").heard().lastPlace()).isEqualTo(new QueuePlace(1, 1, false)));
        release("t1");
        awaitHolders();
        assertThat(slots().slots().waiting()).containsExactly("t2");

        activities.change(AGENT, new AgentLimits(true, true, 1));
        awaitHolders("t2");
    }

    @Test
    void repeatedRequestsAndReleasesChangeNothing() {
        startSlots(0);
        activities.change(AGENT, new AgentLimits(true, true, 2));
        request("t1", 2, 1);
        request("t2", 2, 2);
        request("t1", 2, 1);
        request("t3", 2, 3);
        request("t3", 2, 3);
        request("t4", 2, 4);
        await().untilAsserted(() -> assertThat(slots().slots().waiting()).containsExactly("t3", "t4"));
        assertThat(slots().slots().holders()).containsExactly("t1", "t2");

        release("t1");
        release("t1");

        awaitHolders("t2", "t3");
        assertThat(slots().slots().waiting()).containsExactly("t4");
        assertThat(taker("t1").heard().answers()).hasSize(1);
    }

    @Test
    void aRequestThatArrivesAfterItsTaskReleasedIsIgnored() {
        startSlots(0);
        request("t1", 2, 1);
        awaitHolders("t1");
        release("t1");
        awaitHolders();

        request("t1", 2, 1);
        request("t2", 2, 2);

        awaitHolders("t2");
        assertThat(slots().slots().waiting()).isEmpty();
    }

    @Test
    void aLimitChangeWhoseSignalWasLostTakesEffectAtTheNextCheck() {
        startSlots(0);
        IntStream.rangeClosed(1, 3).forEach(i -> request("t" + i, 2, i));
        awaitHolders("t1");

        activities.limits.set(new AgentLimits(true, true, 3));
        env.sleep(Duration.ofSeconds(CHECK_SECONDS + 1));

        awaitHolders("t1", "t2", "t3");
    }

    @Test
    void aNewRunRebuildsItsHoldersAndLineFromTheAgentsUnfinishedTasks() {
        List.of("running", "pending-low", "pending-high").forEach(this::startTaker);
        activities.unfinished.set(new ReadLimitsOutput(null, List.of("running"),
                List.of(new SlotRequest("pending-low", 3, 1), new SlotRequest("pending-high", 1, 2))));

        startSlots(0);
        request("pending-low", 3, 1);

        awaitHolders("running");
        assertThat(slots().slots().waiting()).containsExactly("pending-high", "pending-low");
        release("running");
        awaitHolders("pending-high");
    }

    @Test
    void aHolderTerminatedFromOutsideIsFreedByTheCheck() {
        startSlots(0);
        request("t1", 2, 1);
        request("t2", 2, 2);
        awaitHolders("t1");

        client.newUntypedWorkflowStub("t1").terminate("test");
        env.sleep(Duration.ofSeconds(CHECK_SECONDS + 1));

        awaitHolders("t2");
    }

    @Test
    void aSlotOfferedToAWorkflowThatDoesNotRunIsTakenBack() {
        startSlots(0);
        slots().requestSlot(new SlotRequest("never-started", 2, 1));
        request("t2", 2, 2);

        awaitHolders("t2");
    }

    @Test
    void aDeletedAgentRefusesItsWaitersAndEndsOnceEmpty() {
        startSlots(0);
        request("t1", 2, 1);
        request("t2", 2, 2);
        awaitHolders("t1");

        activities.change(AGENT, new AgentLimits(false, false, 0));

        await().untilAsserted(() -> assertThat(taker("t2").heard().answers())
                .containsExactly(new SlotAnswer(AGENT, false)));
        assertThat(status()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        release("t1");
        await().untilAsserted(() -> assertThat(status())
                .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED));
    }

    @Test
    void continuingAsNewKeepsHoldersAndLine() {
        startSlots(100);
        request("t1", 2, 1);
        awaitHolders("t1");
        request("t2", 3, 2);
        request("t3", 0, 3);
        String firstRun = client.newUntypedWorkflowStub(AgentSlotsIds.forAgent(AGENT)).describe().getExecution().getRunId();

        // Repeated requests change nothing but lengthen the history, until it passes its limit.
        await().pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            request("t2", 3, 2);
            assertThat(client.newUntypedWorkflowStub(AgentSlotsIds.forAgent(AGENT)).describe().getExecution()
                    .getRunId()).isNotEqualTo(firstRun);
        });
        assertThat(client.fetchHistory(AgentSlotsIds.forAgent(AGENT), firstRun).getLastEvent().getEventType())
                .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
        await().untilAsserted(() -> {
            assertThat(slots().slots().holders()).containsExactly("t1");
            assertThat(slots().slots().waiting()).containsExactly("t3", "t2");
        });
        release("t1");
        awaitHolders("t3");
    }

    private void startSlots(int maxHistoryEvents) {
        AgentSlotsWorkflow slots = client.newWorkflowStub(AgentSlotsWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(AgentSlotsIds.forAgent(AGENT)).setTaskQueue(TaskQueues.TASKS).build());
        WorkflowClient.start(slots::run, new AgentSlotsInput(AGENT, CHECK_SECONDS, null, maxHistoryEvents));
    }

    /** Starts a stand-in task workflow (unless it runs) and asks for a slot for it. */
    private void request(String taskWorkflowId, int rank, long submittedAt) {
        startTaker(taskWorkflowId);
        slots().requestSlot(new SlotRequest(taskWorkflowId, rank, submittedAt));
    }

    private void startTaker(String taskWorkflowId) {
        if (started.add(taskWorkflowId)) {
            SlotTakerWorkflow taker = client.newWorkflowStub(SlotTakerWorkflow.class, WorkflowOptions.newBuilder()
                    .setWorkflowId(taskWorkflowId).setTaskQueue(TaskQueues.TASKS).build());
            WorkflowClient.start(taker::run);
        }
    }

    private void release(String taskWorkflowId) {
        slots().releaseSlot(new SlotRelease(taskWorkflowId));
    }

    private void awaitHolders(String... holders) {
        await().untilAsserted(() -> assertThat(slots().slots().holders()).containsExactly(holders));
    }

    private WorkflowExecutionStatus status() {
        return client.newUntypedWorkflowStub(AgentSlotsIds.forAgent(AGENT)).describe().getStatus();
    }

    private AgentSlotsWorkflow slots() {
        return client.newWorkflowStub(AgentSlotsWorkflow.class, AgentSlotsIds.forAgent(AGENT));
    }

    private SlotTakerWorkflow taker(String id) {
        return client.newWorkflowStub(SlotTakerWorkflow.class, id);
    }
}
