package dev.keiko.api.mcp;

import dev.keiko.workflows.tool.ToolDescriptor;
import java.util.Map;

/**
 * One tool of a server as its managers see it: every tool the server offers, and whether its
 * allow-list lets tasks call it.
 */
public record ToolView(String name, String title, String description, Map<String, Object> inputSchema,
        boolean allowed) {

    static ToolView of(ToolDescriptor tool, boolean allowed) {
        return new ToolView(tool.name(), tool.title(), tool.description(), tool.inputSchema(), allowed);
    }
}
