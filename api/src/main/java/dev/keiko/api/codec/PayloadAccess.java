package dev.keiko.api.codec;

import dev.keiko.api.auth.CurrentUser;
import dev.keiko.api.task.TaskManagement;
import dev.keiko.domain.user.Role;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;

/**
 * Whose payloads a caller may read in plain text: a task's, when {@code GET /tasks/{id}} would show the caller
 * that task (its owner, and the roles that read every task); any other workflow's (tool catalogs, agent slots)
 * and payloads bound to no workflow, only operators' and admins'.
 */
@Component
class PayloadAccess {

    private static final Pattern TASK_WORKFLOW = Pattern.compile(
            "task-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

    private final TaskManagement tasks;

    PayloadAccess(TaskManagement tasks) {
        this.tasks = tasks;
    }

    /** The decisions of one request, each workflow looked up once. */
    Decisions forRequest(CurrentUser user) {
        return new Decisions(user);
    }

    final class Decisions {

        private final CurrentUser user;
        private final Map<String, Mono<Boolean>> byWorkflow = new HashMap<>();

        private Decisions(CurrentUser user) {
            this.user = user;
        }

        /** Whether the caller may read a payload of that workflow; {@code workflowId} null: bound to none. */
        synchronized Mono<Boolean> mayRead(String workflowId) {
            if (workflowId == null) {
                return Mono.just(operates());
            }
            return byWorkflow.computeIfAbsent(workflowId, id -> decide(id).cache());
        }

        private Mono<Boolean> decide(String workflowId) {
            var task = TASK_WORKFLOW.matcher(workflowId);
            if (!task.matches()) {
                return Mono.just(operates());
            }
            UUID taskId = UUID.fromString(task.group(1));
            return Mono.defer(() -> tasks.find(user, taskId))
                    .map(found -> workflowId.equals(found.workflowId()) || operates())
                    .onErrorResume(e -> e instanceof ErrorResponseException || e instanceof AccessDeniedException,
                            hidden -> Mono.just(operates()));
        }

        private boolean operates() {
            return user.role() == Role.ADMIN || user.role() == Role.OPERATOR;
        }
    }
}
