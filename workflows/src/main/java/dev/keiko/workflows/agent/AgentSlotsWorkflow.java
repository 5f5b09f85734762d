package dev.keiko.workflows.agent;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The slots of one agent, held across every worker: at most the agent's {@code maxConcurrentTasks} task
 * workflows hold a slot at once; the others wait in priority order (critical, high, normal, low), first
 * submitted first within a priority.
 *
 * <p>One long-lived workflow per agent, with the id {@link AgentSlotsIds#forAgent(String)}, started by
 * {@link AgentSlotActivities#requestSlot} through signal-with-start, so it exists whenever a task needs it
 * and is started again should it ever be ended from outside. A task workflow asks for a slot with
 * {@link #requestSlot}, is answered with the task workflow's {@code slotAnswered} signal, is told its place
 * in line with {@code queuePlaceChanged} while it waits, and gives the slot back with {@link #releaseSlot}
 * when it ends in any way (a cancelled waiting task leaves the line the same way). The agent's limit and
 * whether it is active are read from PostgreSQL through {@link AgentSlotActivities#readLimits} at start and
 * on every {@link #refreshLimits} signal, so a change takes effect for waiting tasks at once.
 *
 * <p>A task workflow that ends without releasing its slot (terminated from outside, or ended by its
 * execution timeout) is found by {@link AgentSlotActivities#findEndedTasks}, which the workflow runs every
 * {@link AgentSlotsInput#checkIntervalSeconds()} while any slot is held or any task waits, rereading the
 * limits at the same time (so that a lost {@code refreshLimits} only delays a change); a slot offered to a task
 * workflow that no longer runs is taken back at once, and a request that comes after its task released is
 * ignored. A new run rebuilds its holders and its line from the agent's running and pending tasks in
 * PostgreSQL, so that a slot workflow ended from outside and started again keeps the limit. The workflow
 * continues as new when Temporal suggests it, or past {@link AgentSlotsInput#maxHistoryEvents()} events,
 * carrying its holders, its line and the tasks that released lately.
 */
@WorkflowInterface
public interface AgentSlotsWorkflow {

    @WorkflowMethod
    void run(AgentSlotsInput input);

    /** A task workflow asks for a slot; asking again while waiting or holding one changes nothing. */
    @SignalMethod
    void requestSlot(SlotRequest request);

    /** A task workflow gives its slot back, or leaves the line; releasing twice changes nothing. */
    @SignalMethod
    void releaseSlot(SlotRelease release);

    /** The agent changed in PostgreSQL: read its limit and whether it is active again. */
    @SignalMethod
    void refreshLimits();

    /** Who holds a slot and who waits, in order. */
    @QueryMethod
    AgentSlotsView slots();
}
