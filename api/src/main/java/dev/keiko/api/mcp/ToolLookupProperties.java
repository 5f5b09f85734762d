package dev.keiko.api.mcp;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the API asks a worker for an MCP server's tools.
 *
 * @param toolsLookupTimeout how long one lookup may take; a server whose lookup failed is not asked again
 *     for as long, so that an unreachable server or an absent worker costs submissions nothing
 * @param toolsCheckWait how long a submission waits for a lookup before it is accepted without the check
 *     (the task then finds out durably); the lookup goes on and fills the cache for later submissions
 */
@ConfigurationProperties("keiko.mcp")
public record ToolLookupProperties(
        @DefaultValue("10s") Duration toolsLookupTimeout,
        @DefaultValue("2s") Duration toolsCheckWait) {
}
