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
 * and keeps a tool's output within {@code keiko.mcp.max-tool-output}: text counts by its UTF-8 bytes,
 * other items and structured content by the UTF-8 bytes of their JSON. What does not fit is cut (text) or left out, and
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
                cut.put("text", prefix(text, room));
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

    /** Text by its UTF-8 bytes, the rest of an item by its JSON's. */
    private long size(Map<String, Object> item) {
        if (item.get("text") instanceof String text) {
            return utf8Length(text) + length(withoutText(item));
        }
        return length(item);
    }

    private static long length(Object value) {
        return JSON.writeValueAsBytes(value).length;
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
            bytes += utf8Length(text.codePointAt(i));
        }
        return bytes;
    }

    // An unpaired surrogate is encoded as '?', one byte.
    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80 || (codePoint <= 0xFFFF && Character.isSurrogate((char) codePoint))) {
            return 1;
        }
        return codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    private static Map<String, Object> withoutText(Map<String, Object> item) {
        Map<String, Object> rest = new LinkedHashMap<>(item);
        rest.remove("text");
        return rest;
    }

    /** The longest run of whole code points from the start whose UTF-8 form fits in {@code maxBytes}. */
    private static String prefix(String text, long maxBytes) {
        long bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            bytes += utf8Length(codePoint);
            if (bytes > maxBytes) {
                break;
            }
            end += Character.charCount(codePoint);
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
