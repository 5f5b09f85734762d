package dev.keiko.activities.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.keiko.activities.ActivitiesTest;
import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.agent.AgentDefinition;
import dev.keiko.domain.agent.AgentStore;
import dev.keiko.domain.agent.AgentType;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import dev.keiko.workflows.TaskQueues;
import dev.keiko.workflows.agent.AgentLimits;
import dev.keiko.workflows.agent.AgentSlotActivities;
import dev.keiko.workflows.agent.AgentSlotsIds;
import dev.keiko.workflows.agent.AgentSlotsInput;
import dev.keiko.workflows.agent.FindEndedTasksInput;
import dev.keiko.workflows.agent.ReadLimitsInput;
import dev.keiko.workflows.agent.RequestSlotInput;
import dev.keiko.workflows.agent.SlotRequest;
import dev.keiko.workflows.search.KeikoSearchAttributes;
import dev.keiko.workflows.task.TaskErrorTypes;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.payload.context.WorkflowSerializationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/** The slot activities against embedded PostgreSQL and the embedded Temporal server, with no worker polling. */
class AgentSlotActivitiesImplTest extends ActivitiesTest {

    @Autowired
    AgentSlotActivities slots;

    @Autowired
    AgentStore agents;

    @Autowired
    UserStore userStore;

    @Autowired
    WorkflowClient client;

    @Autowired
    TaskStore tasks;

    @Autowired
    JsonMapper json;

    @Test
    void aRequestStartsTheAgentsSlotWorkflowOnceAndSignalsItEachTime() {
        String agentId = UUID.randomUUID().toString();
        SlotRequest first = new SlotRequest("task-" + UUID.randomUUID(), 1, 100);
        SlotRequest second = new SlotRequest("task-" + UUID.randomUUID(), 2, 200);

        String workflowId = slots.requestSlot(new RequestSlotInput(agentId, first)).slotWorkflowId();
        slots.requestSlot(new RequestSlotInput(agentId, second));

        assertThat(workflowId).isEqualTo(AgentSlotsIds.forAgent(agentId));
        var described = client.newUntypedWorkflowStub(workflowId).describe();
        assertThat(described.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        List<HistoryEvent> events = client.fetchHistory(workflowId).getEvents();
        HistoryEvent started = events.getFirst();
        assertThat(started.getWorkflowExecutionStartedEventAttributes().getTaskQueue().getName())
                .isEqualTo(TaskQueues.TASKS);
        assertThat(read(workflowId, started.getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0),
                AgentSlotsInput.class)).isEqualTo(new AgentSlotsInput(agentId, 10, null));
        assertThat(events.stream().filter(HistoryEvent::hasWorkflowExecutionSignaledEventAttributes)
                .map(HistoryEvent::getWorkflowExecutionSignaledEventAttributes)
                .peek(signal -> assertThat(signal.getSignalName()).isEqualTo("requestSlot"))
                .map(signal -> read(workflowId, signal.getInput().getPayloads(0), SlotRequest.class)))
                .containsExactly(first, second);
        client.newUntypedWorkflowStub(workflowId).terminate("test over");
    }

    @Test
    void aRequestFromATaskWithSearchAttributesMarksTheSlotWorkflowItStarts() {
        String marked = slots.requestSlot(new RequestSlotInput(UUID.randomUUID().toString(),
                new SlotRequest("task-m", 2, 1), true)).slotWorkflowId();
        String unmarked = slots.requestSlot(new RequestSlotInput(UUID.randomUUID().toString(),
                new SlotRequest("task-u", 2, 1))).slotWorkflowId();

        assertThat(client.newUntypedWorkflowStub(marked).describe().getTypedSearchAttributes()
                .get(KeikoSearchAttributes.KIND)).isEqualTo(KeikoSearchAttributes.KIND_AGENT_SLOTS);
        assertThat(client.newUntypedWorkflowStub(unmarked).describe().getTypedSearchAttributes().size()).isZero();
        client.newUntypedWorkflowStub(marked).terminate("test over");
        client.newUntypedWorkflowStub(unmarked).terminate("test over");
    }

    /** The test server drops a signal-with-start's summary, so the options are checked where they are made. */
    @Test
    void theSlotWorkflowRunsWithoutTimeoutUnderASummaryAndItsIdCanBeReused() {
        WorkflowOptions options = AgentSlotActivitiesImpl.slotWorkflowOptions("a-1", false);

        assertThat(options.getWorkflowId()).isEqualTo(AgentSlotsIds.forAgent("a-1"));
        assertThat(options.getTaskQueue()).isEqualTo(TaskQueues.TASKS);
        assertThat(options.getStaticSummary()).isEqualTo("slots of agent a-1");
        assertThat(options.getWorkflowExecutionTimeout()).isNull();
        assertThat(options.getWorkflowRunTimeout()).isNull();
        assertThat(options.getWorkflowIdReusePolicy())
                .isEqualTo(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE);
    }

    @Test
    void aRequestStartsTheSlotWorkflowAgainOnceItHasEnded() {
        String agentId = UUID.randomUUID().toString();
        String workflowId = slots.requestSlot(new RequestSlotInput(agentId, new SlotRequest("task-a", 2, 1)))
                .slotWorkflowId();
        String firstRun = client.newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId();
        client.newUntypedWorkflowStub(workflowId).terminate("agent deleted");

        slots.requestSlot(new RequestSlotInput(agentId, new SlotRequest("task-b", 2, 2)));

        var described = client.newUntypedWorkflowStub(workflowId).describe();
        assertThat(described.getExecution().getRunId()).isNotEqualTo(firstRun);
        assertThat(described.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        client.newUntypedWorkflowStub(workflowId).terminate("test over");
    }

    @Test
    void limitsFollowTheAgentInPostgresql() {
        UUID admin = userStore.insert(uniqueName("admin"), "{noop}x", Role.ADMIN, UserProfile.EMPTY).block().id();
        Agent agent = agents.insert(new AgentDefinition(uniqueName("agent"), AgentType.TOOL, List.of("echo"), 300, 3,
                null, List.of("everything/echo"), null, null, null, null, null, null), admin).block();
        ReadLimitsInput read = new ReadLimitsInput(agent.id().toString());

        assertThat(slots.readLimits(read).limits()).isEqualTo(new AgentLimits(true, false, 3));
        agents.setActive(agent.id(), true, admin).block();
        assertThat(slots.readLimits(read).limits()).isEqualTo(new AgentLimits(true, true, 3));
        agents.delete(agent.id(), admin).block();
        assertThat(slots.readLimits(read).limits().found()).isFalse();
    }

    @Test
    void anUnknownAgentIsNotFound() {
        assertThat(slots.readLimits(new ReadLimitsInput(UUID.randomUUID().toString())).limits().found()).isFalse();
        assertThat(slots.readLimits(new ReadLimitsInput("not-an-id")).limits().found()).isFalse();
    }

    @Test
    void aTaskWhoseWorkflowWasTerminatedIsRecordedFailedWhenItsSlotComesBack() {
        UUID owner = userStore.insert("owner-" + UUID.randomUUID(), "{noop}x", Role.USER, UserProfile.EMPTY).block().id();
        Task task = tasks.insert(new NewTask(owner, "tool", json.valueToTree(Map.of("server", "everything", "tool",
                "echo")), TaskPriority.NORMAL, 60, null, null)).block().task();
        tasks.markRunning(task.id(), Instant.now()).block();
        // Any workflow under the task's workflow id will do: no worker polls here.
        client.newUntypedWorkflowStub("AgentSlotsWorkflow", WorkflowOptions.newBuilder()
                .setWorkflowId(task.workflowId()).setTaskQueue(TaskQueues.TASKS).build())
                .start(new AgentSlotsInput(UUID.randomUUID().toString(), 10, null));
        client.newUntypedWorkflowStub(task.workflowId()).terminate("ended from outside");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(slots.findEndedTasks(new FindEndedTasksInput(List.of(task.workflowId())))
                        .endedTaskWorkflowIds()).containsExactly(task.workflowId()));
        Task recorded = tasks.findById(task.id()).block();
        assertThat(recorded.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(recorded.result().get("errorType").asString()).isEqualTo(TaskErrorTypes.WORKFLOW_ENDED);
        // Found again by the next check, it keeps its outcome.
        slots.findEndedTasks(new FindEndedTasksInput(List.of(task.workflowId())));
        assertThat(tasks.findById(task.id()).block().finishedAt()).isEqualTo(recorded.finishedAt());
    }

    @Test
    void closedAndUnknownWorkflowsHaveEnded() {
        String running = slots.requestSlot(new RequestSlotInput(UUID.randomUUID().toString(),
                new SlotRequest("task-r", 2, 1))).slotWorkflowId();
        String terminated = slots.requestSlot(new RequestSlotInput(UUID.randomUUID().toString(),
                new SlotRequest("task-t", 2, 1))).slotWorkflowId();
        client.newUntypedWorkflowStub(terminated).terminate("ended from outside");
        String unknown = "task-" + UUID.randomUUID();

        FindEndedTasksInput all = new FindEndedTasksInput(List.of(running, terminated, unknown));
        // Just terminated: its calls may not have noticed yet, so its slot is not given back yet.
        assertThat(slots.findEndedTasks(all).endedTaskWorkflowIds()).containsExactly(unknown);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(slots.findEndedTasks(all).endedTaskWorkflowIds()).containsExactly(terminated, unknown));
        client.newUntypedWorkflowStub(running).terminate("test over");
    }

    @Test
    void aCheckIntervalBelowOneSecondIsRefused() {
        assertThatThrownBy(() -> new AgentSlotsProperties(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keiko.agents.slot-check-interval");
        assertThat(new AgentSlotsProperties(Duration.ofSeconds(10)).slotCheckIntervalSeconds()).isEqualTo(10);
    }

    /** A payload from the workflow's history, decrypted as Keiko's converter does. */
    private <T> T read(String workflowId, Payload payload, Class<T> type) {
        return client.getOptions().getDataConverter()
                .withContext(new WorkflowSerializationContext(client.getOptions().getNamespace(), workflowId))
                .fromPayload(payload, type, type);
    }
}
