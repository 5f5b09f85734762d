package dev.keiko.workflows.task;

import java.util.Map;

/** The parameters of a {@link TaskTypes#TOOL} task, read from the task's JSON-like parameter map. */
record ToolTaskParameters(String server, String tool, Map<String, Object> arguments) {

    /** Reads the parameters, or answers null when they do not fit. */
    @SuppressWarnings("unchecked")
    static ToolTaskParameters from(Map<String, Object> parameters) {
        if (parameters == null
                || !(parameters.get("server") instanceof String server) || server.isBlank()
                || !(parameters.get("tool") instanceof String tool) || tool.isBlank()) {
            return null;
        }
        Object arguments = parameters.get("arguments");
        if (arguments == null) {
            return new ToolTaskParameters(server, tool, Map.of());
        }
        if (arguments instanceof Map<?, ?> map) {
            return new ToolTaskParameters(server, tool, (Map<String, Object>) map);
        }
        return null;
    }
}
