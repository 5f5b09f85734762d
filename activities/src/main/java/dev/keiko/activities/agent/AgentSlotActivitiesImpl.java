package dev.keiko.activities.agent;

import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.agent.AgentStore;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.workflows.TaskQueues;
import dev.keiko.workflows.agent.AgentLimits;
import dev.keiko.workflows.agent.AgentSlotActivities;
import dev.keiko.workflows.agent.AgentSlotsIds;
import dev.keiko.workflows.agent.AgentSlotsInput;
import dev.keiko.workflows.agent.AgentSlotsWorkflow;
import dev.keiko.workflows.agent.FindEndedTasksInput;
import dev.keiko.workflows.agent.FindEndedTasksOutput;
import dev.keiko.workflows.agent.ReadLimitsInput;
import dev.keiko.workflows.agent.ReadLimitsOutput;
import dev.keiko.workflows.agent.RequestSlotInput;
import dev.keiko.workflows.agent.RequestSlotOutput;
import dev.keiko.workflows.agent.SlotRequest;
import dev.keiko.workflows.search.KeikoSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

@Component("agentSlotActivities")
public class AgentSlotActivitiesImpl implements AgentSlotActivities {

    private static final Logger log = LoggerFactory.getLogger(AgentSlotActivitiesImpl.class);

    // Below the workflow's 10 s start-to-close timeout, so a stuck pool fails the attempt rather than the thread.
    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(8);
    /**
     * A terminated workflow's calls learn of it at their next heartbeat and stop: they heartbeat every 100 ms,
     * and a call whose heartbeats stopped (its worker died) times out after at most 5 s (a model call's
     * heartbeat timeout). Compares Temporal's close time with this worker's clock: keep them in sync (NTP).
     */
    static final Duration CALLS_SETTLE = Duration.ofSeconds(6);
    /**
     * The most pending tasks a new slot workflow run puts in line from PostgreSQL (each hears its place by a
     * signal, and Temporal limits a workflow's signals in flight to 2,000); later ones ask for themselves.
     */
    static final int LINE_REBUILT = 1_000;

    private final WorkflowClient client;
    private final AgentStore agents;
    private final AgentSlotsProperties properties;
    private final EndedTaskRecords endedTasks;
    private final TaskStore tasks;

    AgentSlotActivitiesImpl(WorkflowClient client, AgentStore agents, AgentSlotsProperties properties,
            EndedTaskRecords endedTasks, TaskStore tasks) {
        this.client = client;
        this.agents = agents;
        this.properties = properties;
        this.endedTasks = endedTasks;
        this.tasks = tasks;
    }

    @Override
    public RequestSlotOutput requestSlot(RequestSlotInput input) {
        WorkflowOptions options = slotWorkflowOptions(input.agentId(), input.searchAttributes());
        AgentSlotsWorkflow slots = client.newWorkflowStub(AgentSlotsWorkflow.class, options);
        BatchRequest start = client.newSignalWithStartRequest();
        start.add(slots::run, new AgentSlotsInput(input.agentId(), properties.slotCheckIntervalSeconds(), null));
        start.add(slots::requestSlot, input.request());
        client.signalWithStart(start);
        return new RequestSlotOutput(options.getWorkflowId());
    }

    /**
     * Long-lived: no execution or run timeout; it continues as new to keep its history short. With
     * {@code searchAttributes} (the namespace has Keiko's) it carries {@code KeikoKind = "agent-slots"}, so that
     * the Web UI can leave it out of a list of tasks.
     */
    static WorkflowOptions slotWorkflowOptions(String agentId, boolean searchAttributes) {
        WorkflowOptions.Builder options = WorkflowOptions.newBuilder()
                .setWorkflowId(AgentSlotsIds.forAgent(agentId))
                .setTaskQueue(TaskQueues.TASKS)
                // A slot workflow ended (its agent deleted, or terminated by hand) starts again when asked.
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .setStaticSummary("slots of agent " + agentId);
        if (searchAttributes) {
            options.setTypedSearchAttributes(KeikoSearchAttributes.ofKind(KeikoSearchAttributes.KIND_AGENT_SLOTS));
        }
        return options.build();
    }

    @Override
    public ReadLimitsOutput readLimits(ReadLimitsInput input) {
        Optional<Agent> agent = agentId(input.agentId())
                .flatMap(id -> agents.find(id).blockOptional(DATABASE_TIMEOUT));
        AgentLimits limits = agent
                .map(found -> new AgentLimits(true, found.active(), found.definition().maxConcurrentTasks()))
                .orElse(new AgentLimits(false, false, 0));
        if (!input.withLine() || agent.isEmpty()) {
            return new ReadLimitsOutput(limits);
        }
        UUID id = agent.get().id();
        // Every running task holds a slot (no more than the limit, or a few over it while one hands over);
        // pending ones past the first LINE_REBUILT ask for themselves.
        List<String> running = tasks.ofAgent(id, TaskStatus.RUNNING, Integer.MAX_VALUE).map(Task::workflowId)
                .collectList().block(DATABASE_TIMEOUT);
        List<SlotRequest> pending = tasks.ofAgent(id, TaskStatus.PENDING, LINE_REBUILT)
                .map(task -> new SlotRequest(task.workflowId(), SlotRequest.rankOf(task.priority().value()),
                        task.createdAt().toEpochMilli()))
                .collectList().block(DATABASE_TIMEOUT);
        return new ReadLimitsOutput(limits, running, pending);
    }

    @Override
    public FindEndedTasksOutput findEndedTasks(FindEndedTasksInput input) {
        return new FindEndedTasksOutput(input.taskWorkflowIds().stream().filter(this::ended).toList());
    }

    /**
     * Closed in any way at least {@link #CALLS_SETTLE} ago, or unknown to Temporal; its latest run counts, so a
     * continued task still runs. A workflow terminated from outside runs no code, but its calls learn of it at
     * their next heartbeat and stop: its slot is given back only after they had the time to, and its task's
     * outcome is recorded then if it had none.
     */
    private boolean ended(String workflowId) {
        try {
            WorkflowExecutionInfo execution = client.newUntypedWorkflowStub(workflowId).describe().getRawDescription()
                    .getWorkflowExecutionInfo();
            if (execution.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                return false;
            }
            Instant closed = Instant.ofEpochSecond(execution.getCloseTime().getSeconds(),
                    execution.getCloseTime().getNanos());
            if (closed.plus(CALLS_SETTLE).isAfter(Instant.now())) {
                return false;
            }
            try {
                endedTasks.record(workflowId, execution.getStatus(), closed);
            } catch (RuntimeException e) {
                // The slot comes back all the same; the API's repair records the outcome later.
                log.warn("Could not record the outcome of ended task workflow {}: {}", workflowId, e.toString());
            }
            return true;
        } catch (WorkflowNotFoundException e) {
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return true;
            }
            throw e;
        }
    }

    /** An id that is no UUID names no agent. */
    private static Optional<UUID> agentId(String agentId) {
        try {
            return Optional.of(UUID.fromString(agentId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
