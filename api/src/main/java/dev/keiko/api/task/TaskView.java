package dev.keiko.api.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keiko.domain.task.RoutedAgent;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.workflows.task.TaskProgress;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A task as the API shows it; {@code progress} is live from the workflow while the task runs; {@code agent}
 * is the agent it was routed to, absent for a task outside any agent; {@code answerSoFar} is what its newest model
 * call has written while the task runs, absent otherwise.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskView(
        UUID id,
        String type,
        TaskStatus status,
        TaskPriority priority,
        String workflowId,
        JsonNode parameters,
        int timeoutSeconds,
        UUID ownerId,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        JsonNode result,
        TaskProgress progress,
        RoutedAgent agent,
        AnswerSoFarView answerSoFar) {

    static TaskView of(Task task, TaskProgress progress) {
        return new TaskView(task.id(), task.type(), task.status(), task.priority(), task.workflowId(),
                task.parameters(), task.timeoutSeconds(), task.ownerId(), task.createdAt(), task.startedAt(),
                task.finishedAt(), task.result(), progress, task.agent(), null);
    }

    /** This view with the answer written so far. */
    TaskView withAnswerSoFar(AnswerSoFarView answer) {
        return new TaskView(id, type, status, priority, workflowId, parameters, timeoutSeconds, ownerId, createdAt,
                startedAt, finishedAt, result, progress, agent, answer);
    }

    /** This view as it was when the task had {@code earlier} status, before it ended. */
    TaskView asOf(TaskStatus earlier) {
        return new TaskView(id, type, earlier, priority, workflowId, parameters, timeoutSeconds, ownerId, createdAt,
                earlier == TaskStatus.PENDING ? null : startedAt, null, null, null, agent, null);
    }

    /** This view without its parameters and/or result, for lists. */
    TaskView without(boolean dropParameters, boolean dropResult) {
        return new TaskView(id, type, status, priority, workflowId, dropParameters ? null : parameters, timeoutSeconds,
                ownerId, createdAt, startedAt, finishedAt, dropResult ? null : result, progress, agent, answerSoFar);
    }

    static TaskView of(Task task) {
        return of(task, null);
    }
}
