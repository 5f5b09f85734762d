package dev.keiko.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.workflows.Await;
import dev.keiko.workflows.agent.AgentLimits;
import dev.keiko.workflows.agent.AgentSlotsWorkflowImpl;
import dev.keiko.workflows.agent.RequestSlotInput;
import dev.keiko.workflows.agent.RequestSlotOutput;
import dev.keiko.workflows.agent.ScriptedSlotActivities;
import dev.keiko.workflows.budget.ScriptedBudgets;
import dev.keiko.workflows.llm.ScriptedLlmActivities;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.tool.ScriptedToolActivities;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs an agent task routed to an agent on version 1 of {@link AgentSlot#REQUEST_LEFT_TO_FINISH_CHANGE}, records
 * its history and replays it. {@code histories/task-workflow-agent-slot-request-left.json}, which
 * {@link TaskWorkflowReplayTest} replays, is a copy of what this test writes to {@code target/histories/}: to
 * record it again, run this test and copy it.
 *
 * <p>The task waits first in line while its agent is inactive (its place announced), and is granted its slot
 * once the agent is active again, while its slot request, which got through, has not returned yet: the grant
 * cancels the deadline timer alone, and the request completes afterwards on its own. The task then calls the
 * model, a tool and the model again, gives its slot back and completes.
 */
class RoutedTaskHistoryRecordingTest {

    private static final String TASK = "r1";
    private static final Path RECORDED = Path.of("target", "histories");

    @RegisterExtension
    final TaskWorkflowFixture fixture = new TaskWorkflowFixture();
    private final CountDownLatch requestMayReturn = new CountDownLatch(1);
    private final ScriptedSlotActivities slots = new ScriptedSlotActivities(fixture.env.getWorkflowClient(),
            new AgentLimits(true, false, 1), 10) {
        @Override
        public RequestSlotOutput requestSlot(RequestSlotInput input) {
            RequestSlotOutput delivered = super.requestSlot(input);
            try {
                requestMayReturn.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delivered;
        }
    };

    @Test
    void recordsAndReplaysAGrantThatLeavesTheRequestToFinish() throws Exception {
        ScriptedLlmActivities llm = new ScriptedLlmActivities(call -> {
            if (call == 1) {
                // Granted, and running: only now the request returns, and the task waits until it is recorded.
                requestMayReturn.countDown();
                Await.until(() -> AgentSlotTaskTest.slotRequestCompleted(fixture.history(TASK)));
                return ScriptedLlmActivities.toolCalls(List.of(new ToolCallRequest("call_1", "everything__echo",
                        "{\"message\":\"hi\"}")), 12, 3);
            }
            return ScriptedLlmActivities.text("Done.", 20, 2);
        });
        fixture.alsoRun(AgentSlotsWorkflowImpl.class);
        fixture.start(ScriptedToolActivities.answering(), llm, ScriptedBudgets.unlimited(), slots);
        TaskWorkflow workflow = fixture.workflow(TASK);
        WorkflowClient.start(workflow::run, new TaskWorkflowInput(TASK, TaskTypes.AGENT,
                Map.of("goal", "say hi", "tools", List.of("everything"), "maxSteps", 3), 600,
                new TaskAgent(AgentSlotTaskTest.AGENT, "reviewer", "normal", 1_000,
                        AgentSlotTaskTest.DEFAULT_RETRIES)));
        await().until(() -> fixture.records.announcements
                .contains("waiting for agent reviewer: 1st of 1 (agent inactive)"));

        slots.change(AgentSlotTaskTest.AGENT, new AgentLimits(true, true, 1));

        assertThat(WorkflowStub.fromTyped(workflow).getResult(TaskWorkflowOutput.class).result().success()).isTrue();
        WorkflowExecutionHistory history = fixture.env.getWorkflowClient()
                .fetchHistory(TaskWorkflowIds.forTask(TASK));
        List<HistoryEvent> events = history.getEvents();
        assertThat(events).extracting(HistoryEvent::getEventType)
                .doesNotContain(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED)
                .contains(EventType.EVENT_TYPE_TIMER_CANCELED);
        long granted = events.stream().filter(event -> event.hasWorkflowExecutionSignaledEventAttributes()
                && event.getWorkflowExecutionSignaledEventAttributes().getSignalName().equals("slotAnswered"))
                .findFirst().orElseThrow().getEventId();
        assertThat(events).as("the version marker, recorded at the grant").anyMatch(event ->
                event.getEventId() > granted && marks(event, AgentSlot.REQUEST_LEFT_TO_FINISH_CHANGE));
        assertThat(events).as("the request, completed after the grant").anyMatch(event ->
                event.getEventId() > granted && event.hasActivityTaskCompletedEventAttributes()
                        && AgentSlotTaskTest.slotRequestCompleted(events.subList(0, (int) event.getEventId())));
        assertThat(fixture.failedWorkflowTasks(TASK)).isZero();
        WorkflowReplayer.replayWorkflowExecution(history, TaskWorkflowImpl.class);
        Files.createDirectories(RECORDED);
        Files.writeString(RECORDED.resolve("task-workflow-agent-slot-request-left.json"), history.toJson(true));
    }

    private static boolean marks(HistoryEvent event, String changeId) {
        return event.hasMarkerRecordedEventAttributes() && event.getMarkerRecordedEventAttributes().getDetailsMap()
                .get("changeId").getPayloads(0).getData().toStringUtf8().equals("\"" + changeId + "\"");
    }
}
