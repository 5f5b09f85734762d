package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowServiceException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class WorkflowStartFailuresTest {

    @Test
    void theServerRefusingTheRequestAsInvalidIsPermanent() {
        assertThat(WorkflowStartFailures.isPermanent(Status.INVALID_ARGUMENT.asRuntimeException())).isTrue();
        assertThat(WorkflowStartFailures.isPermanent(wrapped(Status.INVALID_ARGUMENT
                .withDescription("user_metadata.summary exceeds size limit")))).isTrue();
        assertThat(WorkflowStartFailures.isPermanent(new IllegalArgumentException("refused option"))).isTrue();
    }

    @Test
    void failuresThatMayPassAreTransient() {
        for (Status status : new Status[] {Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED, Status.RESOURCE_EXHAUSTED,
                Status.INTERNAL, Status.UNKNOWN, Status.FAILED_PRECONDITION}) {
            assertThat(WorkflowStartFailures.isPermanent(wrapped(status))).as(status.getCode().name()).isFalse();
        }
        assertThat(WorkflowStartFailures.isPermanent(Status.UNAVAILABLE
                .withCause(new ConnectException("Connection refused")).asRuntimeException())).isFalse();
        assertThat(WorkflowStartFailures.isPermanent(new IllegalStateException("pool closed"))).isFalse();
        // How Temporal answers a start while its namespace is handed over to another cluster.
        assertThat(WorkflowStartFailures.isPermanent(wrapped(Status.FAILED_PRECONDITION
                .withDescription("Namespace: default is not active in cluster: active")))).isFalse();
    }

    @Test
    void theReasonNamesTheStatusAndItsDescription() {
        assertThat(WorkflowStartFailures.reason(wrapped(Status.INVALID_ARGUMENT.withDescription("too long"))))
                .isEqualTo("INVALID_ARGUMENT: too long");
    }

    private static WorkflowServiceException wrapped(Status status) {
        return new WorkflowServiceException(WorkflowExecution.newBuilder().setWorkflowId("task-x").build(),
                "TaskWorkflow", status.asRuntimeException());
    }
}
