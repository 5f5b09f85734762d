package dev.keiko.workflows.tool;

import java.util.Map;

/** One tool as its server describes it, with its JSON input schema. */
public record ToolDescriptor(String name, String title, String description, Map<String, Object> inputSchema) {
}
