package dev.keiko.workflows.task;

import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;

/**
 * From {@link #CHANGE_ID} on, cancelling a task lets its model call stop and hand over its answer so far (the
 * model-call activity returns it with finish reason {@code cancelled}), which the cancelled task's result keeps
 * as a {@link PartialAnswer}. Tasks started before move on without waiting for their call, and replay that way.
 */
final class CancelledModelCalls {

    static final String CHANGE_ID = "partial-answer-on-cancel";

    private CancelledModelCalls() {
    }

    /** Whether this run's cancelled model calls hand over their answer so far. */
    static boolean handOverPartialAnswers() {
        return Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) >= 1;
    }

    /**
     * Whether a model call that just returned was cut short by its task's cancellation. A call that finished
     * its answer before it saw the cancel counts too: the task is cancelled all the same.
     */
    static boolean cutShort() {
        return CancellationScope.current().isCancelRequested();
    }
}
