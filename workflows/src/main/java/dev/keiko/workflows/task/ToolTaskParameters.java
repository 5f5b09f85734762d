package dev.keiko.workflows.task;

import java.util.Map;

/** The parameters of a {@link TaskTypes#TOOL} task: {@code server}, {@code tool}, {@code arguments}. */
public record ToolTaskParameters(String server, String tool, Map<String, Object> arguments) {

    /** Reads the parameters; throws {@link InvalidParametersException} when they do not fit. */
    public static ToolTaskParameters from(Map<String, Object> parameters) {
        ParameterReader reader = new ParameterReader(parameters);
        return new ToolTaskParameters(
                reader.requiredString("server", "the MCP server's name"),
                reader.requiredString("tool", "the tool's name"),
                reader.optionalObject("arguments"));
    }
}
