package dev.keiko.domain.mcp;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** How Keiko talks to an MCP server. */
public enum McpTransport {
    STDIO("stdio"), STREAMABLE_HTTP("streamable-http"), SSE("sse");

    private final String value;

    McpTransport(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public boolean isHttp() {
        return this != STDIO;
    }

    public static McpTransport of(String value) {
        return Arrays.stream(values())
                .filter(transport -> transport.value.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "Unknown MCP transport '" + value + "': use stdio, streamable-http or sse"));
    }
}
