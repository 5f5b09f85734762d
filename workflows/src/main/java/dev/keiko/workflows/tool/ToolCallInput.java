package dev.keiko.workflows.tool;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One tool call.
 *
 * @param taskId the task the call belongs to, for progress events
 * @param server the MCP server's name
 * @param tool the tool's name
 * @param arguments the tool's arguments, as JSON-like maps and lists
 * @param argumentsJson the arguments as JSON text, as a model writes them, when {@code arguments} is null;
 *     text that is not a JSON object fails the call with {@link ToolFailureTypes#INVALID_ARGUMENTS}
 * @param agentId the id of the agent the task was routed to, for metrics; null for a task outside any agent,
 *     and in calls of workflows from before it was passed on
 */
public record ToolCallInput(
        String taskId, String server, String tool, Map<String, Object> arguments, String argumentsJson,
        // Left out when null, so that the calls of tasks outside any agent read as before.
        @JsonInclude(JsonInclude.Include.NON_NULL) String agentId) {

    public ToolCallInput(String taskId, String server, String tool, Map<String, Object> arguments) {
        this(taskId, server, tool, arguments, null, null);
    }
}
