package dev.keiko.activities.agent;

import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.workflows.task.TaskErrorTypes;
import dev.keiko.workflows.task.TaskResult;
import dev.keiko.workflows.task.TaskWorkflowIds;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records the outcome of a task whose workflow ended without recording one (terminated from outside, or
 * ended by its execution timeout), when its agent's slot workflow takes its slot back: the task then stops
 * counting as running in its agent's {@code slotsInUse} at once, not at the API's next repair. Only moves a
 * task forward: a task that has ended keeps its outcome.
 */
@Component
class EndedTaskRecords {

    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(8);

    private final TaskStore tasks;
    private final JsonMapper json;

    EndedTaskRecords(TaskStore tasks, JsonMapper json) {
        this.tasks = tasks;
        this.json = json;
    }

    void record(String workflowId, WorkflowExecutionStatus status, Instant closedAt) {
        if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
                || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED) {
            return; // the workflow recorded its outcome before it ended
        }
        UUID taskId;
        try {
            taskId = UUID.fromString(TaskWorkflowIds.taskId(workflowId).orElse(""));
        } catch (IllegalArgumentException notATask) {
            return;
        }
        boolean timedOut = status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT;
        // A workflow that failed recorded its outcome first, unless it failed to (a payload it could not read),
        // and recording never overwrites an outcome: so a failed one is recorded too.
        TaskResult result = TaskResult.failure(timedOut ? TaskErrorTypes.TIMEOUT : TaskErrorTypes.WORKFLOW_ENDED,
                timedOut
                        ? "The task's workflow ran past its execution timeout without recording an outcome; Temporal ended it"
                        : "The task's workflow ended (" + status.name().replace("WORKFLOW_EXECUTION_STATUS_", "")
                                .toLowerCase(Locale.ROOT) + ") before it recorded an outcome",
                0.0, Map.of("workflowId", workflowId));
        tasks.recordOutcome(taskId, TaskStatus.FAILED, json.valueToTree(result), closedAt).block(DATABASE_TIMEOUT);
    }
}
