package dev.keiko.workflows.tool;

import java.util.List;
import java.util.Map;

/**
 * What a tool answered.
 *
 * @param content the tool's content items (text, image, resource...) as JSON-like maps
 * @param structuredContent the tool's structured content, or null when it sent none
 * @param truncated whether the output was cut to {@code keiko.mcp.max-tool-output}; its last content item
 *     then says so
 */
public record ToolCallOutput(List<Map<String, Object>> content, Object structuredContent, boolean truncated) {

    public ToolCallOutput(List<Map<String, Object>> content, Object structuredContent) {
        this(content, structuredContent, false);
    }
}
