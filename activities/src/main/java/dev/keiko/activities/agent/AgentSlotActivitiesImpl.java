package dev.keiko.activities.agent;

import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.agent.AgentStore;
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
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

@Component("agentSlotActivities")
public class AgentSlotActivitiesImpl implements AgentSlotActivities {

    // Below the workflow's 10 s start-to-close timeout, so a stuck pool fails the attempt rather than the thread.
    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(8);

    private final WorkflowClient client;
    private final AgentStore agents;
    private final AgentSlotsProperties properties;

    public AgentSlotActivitiesImpl(WorkflowClient client, AgentStore agents, AgentSlotsProperties properties) {
        this.client = client;
        this.agents = agents;
        this.properties = properties;
    }

    @Override
    public RequestSlotOutput requestSlot(RequestSlotInput input) {
        WorkflowOptions options = slotWorkflowOptions(input.agentId());
        AgentSlotsWorkflow slots = client.newWorkflowStub(AgentSlotsWorkflow.class, options);
        BatchRequest start = client.newSignalWithStartRequest();
        start.add(slots::run, new AgentSlotsInput(input.agentId(), properties.slotCheckIntervalSeconds(), null));
        start.add(slots::requestSlot, input.request());
        client.signalWithStart(start);
        return new RequestSlotOutput(options.getWorkflowId());
    }

    /** Long-lived: no execution or run timeout; it continues as new to keep its history short. */
    static WorkflowOptions slotWorkflowOptions(String agentId) {
        return WorkflowOptions.newBuilder()
                .setWorkflowId(AgentSlotsIds.forAgent(agentId))
                .setTaskQueue(TaskQueues.TASKS)
                // A slot workflow ended (its agent deleted, or terminated by hand) starts again when asked.
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .setStaticSummary("slots of agent " + agentId)
                .build();
    }

    @Override
    public ReadLimitsOutput readLimits(ReadLimitsInput input) {
        Optional<Agent> agent = agentId(input.agentId())
                .flatMap(id -> agents.find(id).blockOptional(DATABASE_TIMEOUT));
        return new ReadLimitsOutput(agent
                .map(found -> new AgentLimits(true, found.active(), found.definition().maxConcurrentTasks()))
                .orElse(new AgentLimits(false, false, 0)));
    }

    @Override
    public FindEndedTasksOutput findEndedTasks(FindEndedTasksInput input) {
        return new FindEndedTasksOutput(input.taskWorkflowIds().stream().filter(this::ended).toList());
    }

    /** Closed in any way, or unknown to Temporal; its latest run counts, so a continued task still runs. */
    private boolean ended(String workflowId) {
        try {
            return client.newUntypedWorkflowStub(workflowId).describe().getStatus()
                    != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
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
