package dev.keiko.api.task;

import dev.keiko.api.auth.CurrentUser;
import dev.keiko.api.problem.Problems;
import dev.keiko.domain.task.Task;
import dev.keiko.workflows.task.ApprovalDecisionInput;
import dev.keiko.workflows.task.ApprovalDecisionOutput;
import dev.keiko.workflows.task.TaskWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends people's decisions on tool calls that wait for approval to the task's workflow, as a
 * Temporal update that the workflow validates. The task's owner, operators and admins decide.
 */
@Component
class TaskApprovals {

    private final TaskManagement management;
    private final WorkflowClient client;

    TaskApprovals(TaskManagement management, WorkflowClient client) {
        this.management = management;
        this.client = client;
    }

    Mono<ApprovalDecisionOutput> decide(CurrentUser user, UUID taskId, ApprovalRequest request) {
        return management.find(user, taskId).flatMap(task -> {
            if (!user.can("tasks:cancel") && !(task.ownerId().equals(user.id()) && user.can("tasks:create"))) {
                return Mono.error(Problems.of(HttpStatus.FORBIDDEN,
                        "Only the task's owner, operators and admins decide its approvals"));
            }
            if (task.status().isTerminal()) {
                return Mono.error(Problems.conflict("Task " + taskId + " has already ended with status '"
                        + task.status().value() + "'"));
            }
            return send(task, new ApprovalDecisionInput(request.approvalId(), request.decision(), request.comment(),
                    user.username()));
        });
    }

    private Mono<ApprovalDecisionOutput> send(Task task, ApprovalDecisionInput decision) {
        return Mono.fromCallable(() -> client.newWorkflowStub(TaskWorkflow.class, task.workflowId())
                        .decideApproval(decision))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(WorkflowUpdateException.class, e -> Problems.conflict(rootMessage(e)))
                .onErrorMap(WorkflowNotFoundException.class, e -> Problems.conflict(
                        "Task " + task.id() + " is not running"));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        // An ApplicationFailure's message carries "message='…', type='…'"; keep the person-readable part.
        int start = message == null ? -1 : message.indexOf("message='");
        if (start >= 0) {
            int end = message.indexOf("', type=", start);
            return message.substring(start + 9, end > start ? end : message.length());
        }
        return message == null ? "The decision was refused" : message;
    }
}
