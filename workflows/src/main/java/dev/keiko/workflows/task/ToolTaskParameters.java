package dev.keiko.workflows.task;

import dev.keiko.workflows.tool.McpNames;
import java.util.Map;

/** The parameters of a {@link TaskTypes#TOOL} task: {@code server}, {@code tool}, {@code arguments}. */
public record ToolTaskParameters(String server, String tool, Map<String, Object> arguments) {

    /** Reads the parameters; throws {@link InvalidParametersException} when they do not fit. */
    public static ToolTaskParameters from(Map<String, Object> parameters) {
        ParameterReader reader = new ParameterReader(parameters);
        String server = reader.requiredString("server", "the MCP server's name");
        String tool = reader.requiredString("tool", "the tool's name");
        if (!McpNames.isServerName(server)) {
            throw new InvalidParametersException("'parameters.server' must be " + McpNames.SERVER_RULE);
        }
        if (!McpNames.isToolName(tool)) {
            throw new InvalidParametersException("'parameters.tool' must be " + McpNames.TOOL_RULE);
        }
        return new ToolTaskParameters(server, tool, reader.optionalObject("arguments"));
    }
}
