package dev.keiko.api.task;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;

/**
 * Tells a workflow start that can never succeed from one that may succeed later. Temporal refuses a
 * request it finds invalid ({@code INVALID_ARGUMENT}), and the SDK refuses options before sending them
 * ({@link IllegalArgumentException}); sending the same request again gets the same answer. Anything else
 * may pass: {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, {@code RESOURCE_EXHAUSTED}, a refused connection,
 * and {@code FAILED_PRECONDITION}, which is how Temporal answers while a namespace is not active here
 * ({@code NamespaceNotActive}) or is being handed over to another cluster.
 */
final class WorkflowStartFailures {

    private static final Set<Status.Code> PERMANENT = Set.of(Status.Code.INVALID_ARGUMENT);

    private WorkflowStartFailures() {
    }

    static boolean isPermanent(Throwable failure) {
        StatusRuntimeException status = status(failure);
        if (status != null) {
            return PERMANENT.contains(status.getStatus().getCode());
        }
        return failure instanceof IllegalArgumentException;
    }

    /** What the task's outcome says about the refusal: the server's status and description, or the SDK's message. */
    static String reason(Throwable failure) {
        StatusRuntimeException status = status(failure);
        if (status != null) {
            String description = status.getStatus().getDescription();
            return status.getStatus().getCode() + (description == null ? "" : ": " + description);
        }
        return failure.getMessage();
    }

    private static StatusRuntimeException status(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StatusRuntimeException status) {
                return status;
            }
        }
        return null;
    }
}
