package dev.keiko.workflows.task;

import io.temporal.payload.codec.PayloadCodecException;
import io.temporal.worker.WorkflowImplementationOptions;

/** How every worker registers {@link TaskWorkflowImpl}, in production and in tests. */
public final class TaskWorkflowImplementation {

    private TaskWorkflowImplementation() {
    }

    /**
     * A payload that cannot be decoded where workflow code cannot catch it (the workflow's input, an
     * update's argument) fails the workflow instead of failing its workflow tasks for good; the workflow
     * catches the ones it reads itself and fails the task with {@link TaskErrorTypes#PAYLOAD_MISSING}.
     */
    @SuppressWarnings("unchecked")
    public static WorkflowImplementationOptions.Builder customize(WorkflowImplementationOptions.Builder options) {
        return options.setFailWorkflowExceptionTypes(PayloadCodecException.class);
    }

    public static WorkflowImplementationOptions options() {
        return customize(WorkflowImplementationOptions.newBuilder()).build();
    }
}
