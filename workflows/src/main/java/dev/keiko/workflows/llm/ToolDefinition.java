package dev.keiko.workflows.llm;

import java.util.Map;

/** A tool offered to a model: a function name, what it does, and its JSON schema. */
public record ToolDefinition(String name, String description, Map<String, Object> parameters) {
}
