package dev.keiko.activities.mcp;

import dev.keiko.domain.mcp.McpProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/** MCP settings for tests that build the pool themselves: local servers allowed, the default limits. */
public final class TestMcpProperties {

    private TestMcpProperties() {
    }

    public static McpProperties loopback() {
        return new McpProperties(Map.of(), Duration.ofSeconds(60), List.of("127.0.0.0/8", "::1/128"),
                List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER", "LOGNAME", "SHELL", "TERM"),
                DataSize.ofMegabytes(1), Duration.ofMinutes(1));
    }
}
