package dev.keiko.worker;

import dev.keiko.workflows.task.TaskWorkflowImpl;
import dev.keiko.workflows.task.TaskWorkflowImplementation;
import io.temporal.common.metadata.POJOWorkflowMethodMetadata;
import io.temporal.spring.boot.WorkflowImplementationOptionsCustomizer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkflowImplementationOptions;
import org.springframework.stereotype.Component;

/** Registers {@link TaskWorkflowImpl} with the options every worker gives it: see {@link TaskWorkflowImplementation}. */
@Component
class TaskWorkflowOptions implements WorkflowImplementationOptionsCustomizer {

    @Override
    public WorkflowImplementationOptions.Builder customize(WorkflowImplementationOptions.Builder options,
            Worker worker, Class<?> implementation, POJOWorkflowMethodMetadata workflowMethod) {
        return implementation == TaskWorkflowImpl.class ? TaskWorkflowImplementation.customize(options) : options;
    }
}
