package dev.keiko.workflows.agent;

import dev.keiko.workflows.TaskQueues;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Slot activities over the test server's client, with limits the test sets: requests go by signal-with-start,
 * ended task workflows are found by describing them.
 */
public class ScriptedSlotActivities implements AgentSlotActivities {

    public final AtomicReference<AgentLimits> limits;
    public final List<SlotRequest> requests = new CopyOnWriteArrayList<>();
    /** What PostgreSQL would hold as the agent's running and pending tasks, for a run that rebuilds its line. */
    public final AtomicReference<ReadLimitsOutput> unfinished =
            new AtomicReference<>(new ReadLimitsOutput(null, List.of(), List.of()));
    private final WorkflowClient client;
    private final long checkIntervalSeconds;

    public ScriptedSlotActivities(WorkflowClient client, AgentLimits limits, long checkIntervalSeconds) {
        this.client = client;
        this.limits = new AtomicReference<>(limits);
        this.checkIntervalSeconds = checkIntervalSeconds;
    }

    /** Changes the limits and tells the slot workflow, as the API does. */
    public void change(String agentId, AgentLimits next) {
        limits.set(next);
        client.newUntypedWorkflowStub(AgentSlotsIds.forAgent(agentId)).signal("refreshLimits");
    }

    @Override
    public RequestSlotOutput requestSlot(RequestSlotInput input) {
        requests.add(input.request());
        String id = AgentSlotsIds.forAgent(input.agentId());
        WorkflowStub slots = client.newUntypedWorkflowStub("AgentSlotsWorkflow",
                WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.TASKS).build());
        slots.signalWithStart("requestSlot", new Object[] {input.request()},
                new Object[] {new AgentSlotsInput(input.agentId(), checkIntervalSeconds, null)});
        return new RequestSlotOutput(id);
    }

    @Override
    public ReadLimitsOutput readLimits(ReadLimitsInput input) {
        return input.withLine()
                ? new ReadLimitsOutput(limits.get(), unfinished.get().running(), unfinished.get().pending())
                : new ReadLimitsOutput(limits.get());
    }

    @Override
    public FindEndedTasksOutput findEndedTasks(FindEndedTasksInput input) {
        return new FindEndedTasksOutput(input.taskWorkflowIds().stream().filter(this::ended).toList());
    }

    private boolean ended(String workflowId) {
        try {
            return client.newUntypedWorkflowStub(workflowId).describe().getStatus()
                    != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        } catch (WorkflowNotFoundException e) {
            return true;
        }
    }
}
