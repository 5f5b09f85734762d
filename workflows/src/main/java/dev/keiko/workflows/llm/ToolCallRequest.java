package dev.keiko.workflows.llm;

/** A tool call a model asked for: its id, the function's name and its arguments as a JSON string. */
public record ToolCallRequest(String id, String name, String argumentsJson) {
}
