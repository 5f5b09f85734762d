package dev.keiko.workflows.tool;

import java.util.Map;

/**
 * One tool call.
 *
 * @param taskId the task the call belongs to, for progress events
 * @param server the MCP server's name
 * @param tool the tool's name
 * @param arguments the tool's arguments, as JSON-like maps and lists
 */
public record ToolCallInput(String taskId, String server, String tool, Map<String, Object> arguments) {
}
