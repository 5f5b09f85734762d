package dev.keiko.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.workflows.task.TaskWorkflowImpl;
import dev.keiko.workflows.tool.ToolCatalogWorkflowImpl;
import io.temporal.payload.codec.PayloadCodecException;
import io.temporal.worker.WorkflowImplementationOptions;
import org.junit.jupiter.api.Test;

class TaskWorkflowOptionsTest {

    private final TaskWorkflowOptions customizer = new TaskWorkflowOptions();

    @Test
    void anUndecodablePayloadFailsATaskWorkflowRatherThanItsWorkflowTasks() {
        WorkflowImplementationOptions options = customizer.customize(WorkflowImplementationOptions.newBuilder(),
                null, TaskWorkflowImpl.class, null).build();

        assertThat(options.getFailWorkflowExceptionTypes()).containsExactly(PayloadCodecException.class);
    }

    @Test
    void otherWorkflowsKeepTheirOptions() {
        WorkflowImplementationOptions options = customizer.customize(WorkflowImplementationOptions.newBuilder(),
                null, ToolCatalogWorkflowImpl.class, null).build();

        assertThat(options.getFailWorkflowExceptionTypes()).isEmpty();
    }
}
