package dev.keiko.workflows.task;

import dev.keiko.workflows.agent.QueuePlace;
import dev.keiko.workflows.agent.SlotAnswer;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One Keiko task, made durable: marks the task running in the read model, runs the work its type
 * names as activities, and records the outcome, exactly once, whatever happens to the workers.
 *
 * <p>The workflow id is {@link TaskWorkflowIds#forTask(String)} of the task id. The task's own
 * timeout is a timer inside the workflow: when it fires, the in-flight activities are cancelled
 * and the task ends {@code failed} with error type {@link TaskErrorTypes#TIMEOUT}. Cancelling the
 * workflow cancels the in-flight activities (they learn of it through heartbeats) and ends the
 * task {@code cancelled}. A payload it cannot read (offloaded, and gone from PostgreSQL) fails the task with
 * {@link TaskErrorTypes#PAYLOAD_MISSING}; register it with {@link TaskWorkflowImplementation#options()}.
 *
 * <p>A task routed to an agent ({@link TaskWorkflowInput#agent()} set) first asks the agent's slot workflow for
 * a slot and waits for it, {@code pending}, its place in line in its progress and on its event stream; the task's
 * timeout covers the wait (a task that waits too long fails {@link TaskErrorTypes#TIMEOUT}), a cancellation ends
 * the wait, and an agent deleted meanwhile fails it with {@link TaskErrorTypes#AGENT_DELETED}. Whatever way the
 * task ends, it then gives the slot back (or leaves the line); a run continued as new keeps its slot. The agent's
 * retry policy replaces the retry options of its model, image and tool calls.
 *
 * <p>A task that ends {@code failed} fails the workflow with an {@code ApplicationFailure} whose
 * type is the task's error type, so the Temporal Web UI shows it as failed; a cancelled task ends
 * the workflow cancelled. The outcome is recorded in the read model before either.
 *
 * <p>A workflow started with Keiko's search attributes ({@code KeikoKind} among them: the API sets them where the
 * namespace has them registered) upserts {@code KeikoStatus} whenever the status its progress shows changes, so
 * that the Temporal Web UI finds it by status; one started without them upserts nothing.
 */
@WorkflowInterface
public interface TaskWorkflow {

    @WorkflowMethod
    TaskWorkflowOutput run(TaskWorkflowInput input);

    /** Live progress of the task, answered from workflow state without side effects. */
    @QueryMethod
    TaskProgress progress();

    /**
     * Approves or rejects a tool call that waits for approval, named by its {@link PendingApproval#approvalId()}
     * (made by the workflow, one per call; never the model's tool-call id). The validator refuses an id that
     * is not waiting, one already decided, or a decision other than approve or reject; a refused update is
     * not written to history.
     */
    @UpdateMethod
    ApprovalDecisionOutput decideApproval(ApprovalDecisionInput input);

    @UpdateValidatorMethod(updateName = "decideApproval")
    void validateApproval(ApprovalDecisionInput input);

    /** From the agent's slot workflow: the task holds a slot now, or the agent is gone. */
    @SignalMethod
    void slotAnswered(SlotAnswer answer);

    /** From the agent's slot workflow: the waiting task's place in line changed. */
    @SignalMethod
    void queuePlaceChanged(QueuePlace place);
}
