package dev.keiko.activities.mcp;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Keiko's MCP clients wait on servers, {@code keiko.mcp.client.*}.
 *
 * @param requestTimeout how long one request may take before it fails and its client is replaced
 *     as wedged: a backstop, as the task's timeout already bounds a tool call, so keep it above the
 *     longest tool call tasks make (the default matches the longest task timeout)
 * @param initializationTimeout how long connecting to a server and the MCP handshake may take
 */
@ConfigurationProperties("keiko.mcp.client")
public record McpClientProperties(
        @DefaultValue("24h") Duration requestTimeout,
        @DefaultValue("30s") Duration initializationTimeout) {
}
