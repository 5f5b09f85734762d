package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.keiko.workflows.agent.AgentLimits;
import dev.keiko.workflows.agent.AgentSlotsIds;
import dev.keiko.workflows.agent.AgentSlotsView;
import dev.keiko.workflows.agent.AgentSlotsWorkflow;
import dev.keiko.workflows.agent.AgentSlotsWorkflowImpl;
import dev.keiko.workflows.agent.RequestSlotInput;
import dev.keiko.workflows.agent.RequestSlotOutput;
import dev.keiko.workflows.agent.ScriptedSlotActivities;
import dev.keiko.workflows.budget.ScriptedBudgets;
import dev.keiko.workflows.llm.ScriptedLlmActivities;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.tool.GatedToolActivities;
import dev.keiko.workflows.tool.ScriptedToolActivities;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A task routed to an agent: it waits for one of the agent's slots, shows its place, and gives the slot back. */
class AgentSlotTaskTest {

    static final String AGENT = "agent-1";
    static final TaskAgent.RetryPolicy DEFAULT_RETRIES = new TaskAgent.RetryPolicy(1, 2.0, 30, 5, List.of());

    @RegisterExtension
    final TaskWorkflowFixture fixture = new TaskWorkflowFixture();
    private final RecordingTaskRecords records = fixture.records;
    private final ScriptedSlotActivities slots =
            new ScriptedSlotActivities(fixture.env.getWorkflowClient(), new AgentLimits(true, true, 1), 10);
    private final GatedToolActivities tools = new GatedToolActivities();

    @Test
    void aWaitingTaskIsPendingWithItsPlaceAndRunsOnceTheHolderCompletes() {
        start(tools);
        TaskWorkflow holder = begin("s1", 600);
        await().until(() -> tools.running.contains("s1"));
        TaskWorkflow waiter = begin("s2", 600);

        await().untilAsserted(() -> assertThat(waiter.progress()).satisfies(progress -> {
            assertThat(progress.status()).isEqualTo(TaskStatuses.PENDING);
            assertThat(progress.queuePlace()).isEqualTo(1);
            assertThat(progress.queueLength()).isEqualTo(1);
        }));
        await().until(() -> records.announcements.contains("waiting for agent reviewer: 1st of 1"));
        assertThat(records.statuses).containsExactly("running");

        tools.answer("s1");
        assertThat(WorkflowStub.fromTyped(holder).getResult(TaskWorkflowOutput.class).result().success()).isTrue();
        await().until(() -> tools.running.contains("s2"));
        assertThat(waiter.progress().status()).isEqualTo(TaskStatuses.RUNNING);
        assertThat(waiter.progress().queuePlace()).isNull();
        assertThat(agentSlots().holders()).containsExactly(TaskWorkflowIds.forTask("s2"));
    }

    @Test
    void aTaskCancelledWhileWaitingLeavesTheLineCancelled() {
        start(tools);
        begin("c1", 600);
        await().until(() -> tools.running.contains("c1"));
        TaskWorkflow waiter = begin("c2", 600);
        await().until(() -> agentSlots().waiting().contains(TaskWorkflowIds.forTask("c2")));

        WorkflowStub.fromTyped(waiter).cancel();

        assertThatThrownBy(() -> WorkflowStub.fromTyped(waiter).getResult(TaskWorkflowOutput.class))
                .isInstanceOf(WorkflowFailedException.class).cause().isInstanceOf(CanceledFailure.class);
        assertThat(records.statuses).containsExactly("running", "cancelled");
        await().untilAsserted(() -> assertThat(agentSlots().waiting()).isEmpty());
        assertThat(agentSlots().holders()).containsExactly(TaskWorkflowIds.forTask("c1"));
    }

    @Test
    void aTaskThatWaitsPastItsTimeoutFailsWithTimeoutAndLeavesTheLine() {
        start(tools);
        begin("w1", 3_600);
        await().until(() -> tools.running.contains("w1"));
        TaskWorkflow waiter = begin("w2", 5);

        assertThatThrownBy(() -> WorkflowStub.fromTyped(waiter).getResult(TaskWorkflowOutput.class))
                .isInstanceOf(WorkflowFailedException.class).cause()
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.getType()).isEqualTo(TaskErrorTypes.TIMEOUT);
                    assertThat(failure.getOriginalMessage())
                            .isEqualTo("Task timed out after 5 s waiting for a slot of agent reviewer");
                });
        assertThat(records.results.getLast().errorType()).isEqualTo(TaskErrorTypes.TIMEOUT);
        await().untilAsserted(() -> assertThat(agentSlots().waiting()).isEmpty());
    }

    @Test
    void aRequestThatCannotGetThroughIsBoundedByTheTasksTimeout() {
        ScriptedSlotActivities unreachable = new ScriptedSlotActivities(fixture.env.getWorkflowClient(),
                new AgentLimits(true, true, 1), 10) {
            @Override
            public RequestSlotOutput requestSlot(RequestSlotInput input) {
                requests.add(input.request());
                throw new IllegalStateException("Temporal is unreachable");
            }
        };
        fixture.alsoRun(AgentSlotsWorkflowImpl.class);
        fixture.start(tools, unreachable);

        assertThatThrownBy(() -> fixture.workflow("u1").run(toolTask("u1", 30, DEFAULT_RETRIES)))
                .isInstanceOf(WorkflowFailedException.class).cause()
                .isInstanceOfSatisfying(ApplicationFailure.class,
                        failure -> assertThat(failure.getType()).isEqualTo(TaskErrorTypes.TIMEOUT));
        assertThat(unreachable.requests.size()).isGreaterThan(1);
        assertThat(records.statuses).containsExactly("failed");
        // At the deadline the request, never through, is cancelled rather than left to be tried until the end.
        assertThat(fixture.history("u1")).extracting(HistoryEvent::getEventType)
                .contains(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED);
    }

    @Test
    void aGrantWhileTheRequestIsStillCompletingLeavesTheRequestToFinish() {
        CountDownLatch requestMayReturn = new CountDownLatch(1);
        ScriptedSlotActivities slow = new ScriptedSlotActivities(fixture.env.getWorkflowClient(),
                new AgentLimits(true, true, 1), 10) {
            @Override
            public RequestSlotOutput requestSlot(RequestSlotInput input) {
                RequestSlotOutput delivered = super.requestSlot(input);
                awaitQuietly(requestMayReturn);
                return delivered;
            }
        };
        fixture.alsoRun(AgentSlotsWorkflowImpl.class);
        fixture.start(tools, slow);
        TaskWorkflow workflow = begin("g1", 600);

        // Granted while the request, which got through, has not returned yet.
        await().until(() -> tools.running.contains("g1"));
        requestMayReturn.countDown();
        await().until(() -> slotRequestCompleted(fixture.history("g1")));
        tools.answer("g1");

        assertThat(WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class).result().success()).isTrue();
        assertThat(fixture.history("g1")).extracting(HistoryEvent::getEventType)
                .doesNotContain(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED)
                .contains(EventType.EVENT_TYPE_TIMER_CANCELED);
        assertThat(fixture.failedWorkflowTasks("g1")).isZero();
        await().untilAsserted(() -> assertThat(agentSlots().holders()).isEmpty());
        assertThat(agentSlots().waiting()).isEmpty();
    }

    @Test
    void aRequestStillTriedWhenItsTaskEndsIsIgnoredAndTriedNoMore() {
        // Every attempt gets through and then fails, as when a worker dies before it reports the attempt.
        ScriptedSlotActivities unreported = new ScriptedSlotActivities(fixture.env.getWorkflowClient(),
                new AgentLimits(true, true, 1), 10) {
            @Override
            public RequestSlotOutput requestSlot(RequestSlotInput input) {
                super.requestSlot(input);
                throw new IllegalStateException("the worker died before it reported the attempt");
            }
        };
        fixture.alsoRun(AgentSlotsWorkflowImpl.class);
        fixture.start(tools, unreported);
        TaskWorkflow workflow = begin("t1", 600);
        await().until(() -> tools.running.contains("t1"));
        await().until(() -> unreported.requests.size() >= 3);

        tools.answer("t1");

        assertThat(WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class).result().success()).isTrue();
        assertThat(fixture.history("t1")).extracting(HistoryEvent::getEventType)
                .doesNotContain(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED);
        // A closed workflow's activity is tried no more: at most an attempt already handed out still runs.
        int tried = unreported.requests.size();
        fixture.env.sleep(Duration.ofMinutes(1));
        assertThat(unreported.requests).hasSizeLessThanOrEqualTo(tried + 1);
        await().untilAsserted(() -> {
            assertThat(agentSlots().holders()).isEmpty();
            assertThat(agentSlots().waiting()).isEmpty();
        });
    }

    @Test
    void aFailedTaskGivesItsSlotToTheNext() {
        start(tools);
        TaskWorkflow holder = begin("f1", 600);
        await().until(() -> tools.running.contains("f1"));
        begin("f2", 600);
        await().until(() -> agentSlots().waiting().contains(TaskWorkflowIds.forTask("f2")));

        tools.fail("f1");

        assertThatThrownBy(() -> WorkflowStub.fromTyped(holder).getResult(TaskWorkflowOutput.class))
                .isInstanceOf(WorkflowFailedException.class);
        await().until(() -> tools.running.contains("f2"));
    }

    @Test
    void aCancelledTaskGivesItsSlotToTheNext() {
        start(tools);
        TaskWorkflow holder = begin("k1", 600);
        await().until(() -> tools.running.contains("k1"));
        begin("k2", 600);
        await().until(() -> agentSlots().waiting().contains(TaskWorkflowIds.forTask("k2")));

        WorkflowStub.fromTyped(holder).cancel();

        await().until(() -> tools.running.contains("k2"));
        assertThat(agentSlots().holders()).containsExactly(TaskWorkflowIds.forTask("k2"));
    }

    @Test
    void aTaskTimedOutWhileRunningGivesItsSlotToTheNext() {
        start(tools);
        TaskWorkflow holder = begin("o1", 5);
        await().until(() -> tools.running.contains("o1"));
        begin("o2", 3_600);
        await().until(() -> agentSlots().waiting().contains(TaskWorkflowIds.forTask("o2")));

        assertThatThrownBy(() -> WorkflowStub.fromTyped(holder).getResult(TaskWorkflowOutput.class))
                .isInstanceOf(WorkflowFailedException.class).cause()
                .isInstanceOfSatisfying(ApplicationFailure.class,
                        failure -> assertThat(failure.getType()).isEqualTo(TaskErrorTypes.TIMEOUT));
        await().until(() -> tools.running.contains("o2"));
    }

    @Test
    void aTaskWaitingForADeletedAgentFailsWithAgentDeleted() {
        start(tools);
        begin("d1", 600);
        await().until(() -> tools.running.contains("d1"));
        TaskWorkflow waiter = begin("d2", 600);
        await().until(() -> agentSlots().waiting().contains(TaskWorkflowIds.forTask("d2")));

        slots.change(AGENT, new AgentLimits(false, false, 0));

        assertThatThrownBy(() -> WorkflowStub.fromTyped(waiter).getResult(TaskWorkflowOutput.class))
                .isInstanceOf(WorkflowFailedException.class).cause()
                .isInstanceOfSatisfying(ApplicationFailure.class,
                        failure -> assertThat(failure.getType()).isEqualTo(TaskErrorTypes.AGENT_DELETED));
        assertThat(records.statuses).containsExactly("running", "failed");
    }

    @Test
    void aTaskRefusedByASlotWorkflowThatThenEndedFailsWithAgentDeletedAllTheSame() {
        slots.limits.set(new AgentLimits(true, false, 1));
        start(tools);
        TaskWorkflow waiter = begin("e1", 600);
        await().ignoreExceptions().until(() -> agentSlots().waiting().contains(TaskWorkflowIds.forTask("e1")));

        slots.change(AGENT, new AgentLimits(false, false, 0));

        // Nothing held or waiting: the slot workflow ends, and the task's release finds nobody to tell.
        assertThatThrownBy(() -> WorkflowStub.fromTyped(waiter).getResult(TaskWorkflowOutput.class))
                .isInstanceOf(WorkflowFailedException.class).cause()
                .isInstanceOfSatisfying(ApplicationFailure.class,
                        failure -> assertThat(failure.getType()).isEqualTo(TaskErrorTypes.AGENT_DELETED));
        assertThat(records.statuses).containsExactly("failed");
        // The slot workflow refuses the task, then ends: the task may record its failure before that end is recorded.
        await().untilAsserted(() -> assertThat(fixture.env.getWorkflowClient()
                .fetchHistory(AgentSlotsIds.forAgent(AGENT)).getLastEvent()
                .hasWorkflowExecutionCompletedEventAttributes()).isTrue());
    }

    @Test
    void theAgentsRetryPolicyDecidesHowOftenAToolCallIsTried() {
        ScriptedToolActivities failing = ScriptedToolActivities.failingTransiently(10);
        start(failing);

        assertThatThrownBy(() -> fixture.workflow("r1").run(toolTask("r1", 600,
                new TaskAgent.RetryPolicy(1, 1.0, 1, 2, List.of()))))
                .isInstanceOf(WorkflowFailedException.class);

        assertThat(failing.calls.get()).isEqualTo(2);
    }

    @Test
    void aRunContinuedAsNewKeepsItsSlotAndGivesItBackWhenTheTaskEnds() {
        ScriptedLlmActivities llm = new ScriptedLlmActivities(call -> call < 700
                ? ScriptedLlmActivities.toolCalls(List.of(new ToolCallRequest("c" + call, "everything__echo",
                        "{\"message\":\"" + call + "\"}")), 2, 1)
                : ScriptedLlmActivities.text("Done.", 2, 1));
        fixture.alsoRun(AgentSlotsWorkflowImpl.class);
        fixture.start(ScriptedToolActivities.answering(), llm, ScriptedBudgets.unlimited(), slots);
        String workflowId = TaskWorkflowIds.forTask("l1");

        TaskWorkflowOutput output = fixture.workflow("l1").run(new TaskWorkflowInput("l1", TaskTypes.AGENT,
                Map.of("goal", "keep going", "tools", List.of("everything"), "maxSteps", 700), 600,
                new TaskAgent(AGENT, "reviewer", "normal", 1_000, DEFAULT_RETRIES)));

        assertThat(output.result().success()).isTrue();
        // Asked once, in the first run; the runs that continued as new sent no release, the last one did.
        assertThat(slots.requests).hasSize(1);
        List<List<HistoryEvent>> runs = runs(workflowId);
        assertThat(runs).hasSizeGreaterThanOrEqualTo(2);
        assertThat(runs.subList(0, runs.size() - 1)).allSatisfy(run -> assertThat(run)
                .noneMatch(HistoryEvent::hasSignalExternalWorkflowExecutionInitiatedEventAttributes));
        assertThat(runs.getLast()).filteredOn(HistoryEvent::hasSignalExternalWorkflowExecutionInitiatedEventAttributes)
                .singleElement().satisfies(release -> assertThat(release
                        .getSignalExternalWorkflowExecutionInitiatedEventAttributes().getSignalName())
                        .isEqualTo("releaseSlot"));
        await().untilAsserted(() -> assertThat(agentSlots().holders()).isEmpty());
    }

    @Test
    void aTaskOutsideAnyAgentAsksForNoSlot() {
        start(ScriptedToolActivities.answering());

        fixture.workflow("n1").run(TaskWorkflowTest.toolTask("n1", 60));

        assertThat(slots.requests).isEmpty();
    }

    /** Whether the history shows the slot request completed (rather than cancelled, failed or still pending). */
    static boolean slotRequestCompleted(List<HistoryEvent> history) {
        List<Long> requests = history.stream().filter(event -> event.hasActivityTaskScheduledEventAttributes()
                && event.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("RequestSlot"))
                .map(HistoryEvent::getEventId).toList();
        return history.stream().anyMatch(event -> event.hasActivityTaskCompletedEventAttributes()
                && requests.contains(event.getActivityTaskCompletedEventAttributes().getScheduledEventId()));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The events of each run of the workflow, first run first. */
    private List<List<HistoryEvent>> runs(String workflowId) {
        WorkflowClient client = fixture.env.getWorkflowClient();
        List<List<HistoryEvent>> runs = new ArrayList<>();
        String runId = client.fetchHistory(workflowId).getEvents().getFirst()
                .getWorkflowExecutionStartedEventAttributes().getFirstExecutionRunId();
        while (runId != null) {
            List<HistoryEvent> events = client.fetchHistory(workflowId, runId).getEvents();
            runs.add(events);
            HistoryEvent last = events.getLast();
            runId = last.hasWorkflowExecutionContinuedAsNewEventAttributes()
                    ? last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId() : null;
        }
        return runs;
    }

    private void start(Object toolActivities) {
        fixture.alsoRun(AgentSlotsWorkflowImpl.class);
        fixture.start(toolActivities, slots);
    }

    private TaskWorkflow begin(String taskId, long timeoutSeconds) {
        TaskWorkflow workflow = fixture.workflow(taskId);
        WorkflowClient.start(workflow::run, toolTask(taskId, timeoutSeconds, DEFAULT_RETRIES));
        return workflow;
    }

    private AgentSlotsView agentSlots() {
        return fixture.env.getWorkflowClient().newWorkflowStub(AgentSlotsWorkflow.class, AgentSlotsIds.forAgent(AGENT))
                .slots();
    }

    static TaskWorkflowInput toolTask(String taskId, long timeoutSeconds, TaskAgent.RetryPolicy retries) {
        return new TaskWorkflowInput(taskId, TaskTypes.TOOL,
                Map.of("server", "everything", "tool", "echo", "arguments", Map.of("message", "hi")), timeoutSeconds,
                new TaskAgent(AGENT, "reviewer", "normal", 1_000, retries));
    }
}
