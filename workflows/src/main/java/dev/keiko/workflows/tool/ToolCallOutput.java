package dev.keiko.workflows.tool;

import java.util.List;
import java.util.Map;

/**
 * What a tool answered.
 *
 * @param content the tool's content items (text, image, resource...) as JSON-like maps
 * @param structuredContent the tool's structured content, or null when it sent none
 */
public record ToolCallOutput(List<Map<String, Object>> content, Object structuredContent) {
}
