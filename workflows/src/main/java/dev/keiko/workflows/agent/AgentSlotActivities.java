package dev.keiko.workflows.agent;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** What an agent's slots need from outside the workflows: PostgreSQL and the Temporal client. */
@ActivityInterface
public interface AgentSlotActivities {

    /**
     * Sends the task workflow's request to its agent's slot workflow, starting that workflow when it does not
     * run (signal-with-start). Idempotent: the slot workflow ignores a request it already holds.
     */
    @ActivityMethod
    RequestSlotOutput requestSlot(RequestSlotInput input);

    /** The agent's limit and whether it is active, read from PostgreSQL now. */
    @ActivityMethod
    ReadLimitsOutput readLimits(ReadLimitsInput input);

    /** Which of the given task workflows no longer run (closed in any way, or unknown to Temporal). */
    @ActivityMethod
    FindEndedTasksOutput findEndedTasks(FindEndedTasksInput input);
}
