package dev.keiko.workflows.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What a task workflow runs.
 *
 * @param taskId the task's id in the read model
 * @param type the task type, one of {@link TaskTypes}
 * @param parameters the type's parameters, as JSON-like maps and lists
 * @param timeoutSeconds how long the task may run before it fails with {@link TaskErrorTypes#TIMEOUT}
 * @param checkpoint where an agent task continues when this run continues an earlier one; null for a new task
 * @param agent the agent the task was routed to, whose slot it waits for; null for a task outside any agent
 */
public record TaskWorkflowInput(
        String taskId, String type, Map<String, Object> parameters, long timeoutSeconds,
        // Left out when null, so that workers from before checkpoints existed still read new tasks.
        @JsonInclude(JsonInclude.Include.NON_NULL) AgentCheckpoint checkpoint,
        // Left out when null, so that the recorded histories of tasks outside any agent read as before.
        @JsonInclude(JsonInclude.Include.NON_NULL) TaskAgent agent) {

    /** A new task outside any agent. */
    public TaskWorkflowInput(String taskId, String type, Map<String, Object> parameters, long timeoutSeconds) {
        this(taskId, type, parameters, timeoutSeconds, null, null);
    }

    /** A new task routed to an agent. */
    public TaskWorkflowInput(String taskId, String type, Map<String, Object> parameters, long timeoutSeconds,
            TaskAgent agent) {
        this(taskId, type, parameters, timeoutSeconds, null, agent);
    }

    TaskWorkflowInput continuedAt(AgentCheckpoint next) {
        return new TaskWorkflowInput(taskId, type, parameters, timeoutSeconds, next, agent);
    }
}
