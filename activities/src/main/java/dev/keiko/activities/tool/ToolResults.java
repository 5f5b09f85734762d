package dev.keiko.activities.tool;

import dev.keiko.workflows.tool.ToolCallOutput;
import dev.keiko.workflows.tool.ToolDescriptor;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Converts SDK types into the plain maps and lists of workflow payloads, as the MCP JSON has them. */
final class ToolResults {

    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() { };

    private final McpJsonMapper json;

    ToolResults(McpJsonMapper json) {
        this.json = json;
    }

    ToolCallOutput output(CallToolResult result) {
        List<Map<String, Object>> content = result.content() == null ? List.of()
                : result.content().stream().map(item -> json.convertValue(item, MAP)).toList();
        Object structured = result.structuredContent() == null ? null
                : json.convertValue(result.structuredContent(), Object.class);
        return new ToolCallOutput(content, structured);
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
