package dev.keiko.api.task;

import dev.keiko.api.agent.AgentRequest;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The body of {@code POST /api/v1/tasks}. Priority defaults to normal, the timeout to the configured default
 * (or the agent's). At most one of {@code agentId}, {@code agent} (a name) and {@code requiredCapabilities}
 * routes the task to an agent; a routed task may leave out {@code type}, which its agent decides.
 */
public record TaskRequest(
        @Size(max = 64) String type,
        Map<String, Object> parameters,
        String priority,
        @Positive Long timeoutSeconds,
        UUID agentId,
        @Pattern(regexp = AgentRequest.NAME, message = "must be 1 to 64 lowercase letters, digits, '-' or '_',"
                + " starting with a letter or digit") String agent,
        @Size(min = 1, max = 16) List<@NotNull @Pattern(regexp = AgentRequest.CAPABILITY, message = "must be 1 to 64"
                + " lowercase letters, digits, '.', '_', ':' or '-', starting with a letter or digit")
                String> requiredCapabilities) {

    /** How many of the routing fields the request names. */
    int routingFields() {
        return (agentId != null ? 1 : 0) + (agent != null ? 1 : 0) + (requiredCapabilities != null ? 1 : 0);
    }
}
