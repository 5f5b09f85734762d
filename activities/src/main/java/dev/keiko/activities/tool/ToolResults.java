package dev.keiko.activities.tool;

import dev.keiko.workflows.tool.ToolCallOutput;
import dev.keiko.workflows.tool.ToolDescriptor;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converts SDK types into the plain maps and lists of workflow payloads, as the MCP JSON has them,
 * and keeps a tool's output within {@code keiko.mcp.max-tool-output}: text counts by its characters,
 * other items and structured content by their JSON. What does not fit is cut (text) or left out, and
 * a last text item says so.
 */
final class ToolResults {

    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() { };
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final McpJsonMapper json;
    private final long maxOutput;

    ToolResults(McpJsonMapper json, DataSize maxOutput) {
        this.json = json;
        this.maxOutput = maxOutput.toBytes();
    }

    ToolCallOutput output(CallToolResult result) {
        List<Map<String, Object>> content = result.content() == null ? List.of()
                : result.content().stream().map(item -> json.convertValue(item, MAP)).toList();
        Object structured = result.structuredContent() == null ? null
                : json.convertValue(result.structuredContent(), Object.class);
        return capped(content, structured);
    }

    private ToolCallOutput capped(List<Map<String, Object>> content, Object structured) {
        long left = maxOutput;
        List<Map<String, Object>> kept = new ArrayList<>();
        boolean truncated = false;
        for (Map<String, Object> item : content) {
            long size = size(item);
            if (size <= left) {
                kept.add(item);
                left -= size;
                continue;
            }
            truncated = true;
            long room = left - size(withoutText(item));
            if (item.get("text") instanceof String text && room > 0) {
                Map<String, Object> cut = new LinkedHashMap<>(item);
                cut.put("text", prefix(text, (int) Math.min(room, Integer.MAX_VALUE)));
                kept.add(cut);
                left -= size(cut);
            }
            break;
        }
        Object keptStructured = structured;
        if (structured != null && length(structured) > left) {
            keptStructured = null;
            truncated = true;
        }
        if (!truncated) {
            return new ToolCallOutput(content, structured, false);
        }
        kept.add(Map.of("type", "text", "text", "[Keiko cut this tool's output to "
                + DataSize.ofBytes(maxOutput).toKilobytes() + " KB (keiko.mcp.max-tool-output)]"));
        return new ToolCallOutput(List.copyOf(kept), keptStructured, true);
    }

    /** Text by its characters, the rest of an item by its JSON. */
    private long size(Map<String, Object> item) {
        if (item.get("text") instanceof String text) {
            return text.length() + length(withoutText(item));
        }
        return length(item);
    }

    private static long length(Object value) {
        return JSON.writeValueAsString(value).length();
    }

    private static Map<String, Object> withoutText(Map<String, Object> item) {
        Map<String, Object> rest = new LinkedHashMap<>(item);
        rest.remove("text");
        return rest;
    }

    private static String prefix(String text, int length) {
        int end = Math.min(text.length(), length);
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** What the tool said about its error: its text content. */
    static String errorText(String tool, CallToolResult result) {
        String text = result.content() == null ? "" : result.content().stream()
                .filter(McpSchema.TextContent.class::isInstance)
                .map(item -> ((McpSchema.TextContent) item).text())
                .collect(Collectors.joining("\n"));
        return text.isBlank() ? "Tool '" + tool + "' reported an error" : text;
    }

    ToolDescriptor descriptor(McpSchema.Tool tool) {
        Map<String, Object> schema = tool.inputSchema() == null ? Map.of() : json.convertValue(tool.inputSchema(), MAP);
        return new ToolDescriptor(tool.name(), tool.title(), tool.description(), schema);
    }
}
