package dev.keiko.workflows.agent;

import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;

/** Signals from a slot workflow to task workflows, sent without holding up its main loop. */
final class TaskSignals {

    /** The task workflow's signal with a {@link SlotAnswer}. */
    static final String SLOT_ANSWERED = "slotAnswered";

    /** The task workflow's signal with a {@link QueuePlace}. */
    static final String QUEUE_PLACE_CHANGED = "queuePlaceChanged";

    private TaskSignals() {
    }

    /**
     * Completes when the signal was delivered; fails when the task workflow does not run, which is expected
     * (a waiter may end at any time) and read only where it matters, for a grant.
     */
    static Promise<Void> send(String taskWorkflowId, String signal, Object argument) {
        Promise<Void> sent = Async.procedure(
                () -> Workflow.newUntypedExternalWorkflowStub(taskWorkflowId).signal(signal, argument));
        sent.handle((delivered, failure) -> delivered);
        return sent;
    }
}
