package dev.keiko.activities.tool;

import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.metrics.MeterTags;
import dev.keiko.workflows.tool.ToolFailureTypes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * {@code keiko.tool.calls}: a timer (count and latency) of MCP tool calls by server, tool, agent and outcome
 * ({@code success} or the failure type), recorded in the activity (not replayed; each attempt counts,
 * retries included). Tags stay few whatever a task names: the server is a registered one (an unregistered
 * name counts as {@code other}), the tool is named only when the server answered for it (success, or
 * the tool's own error) or its server's allowed tools list it, else {@code other}, and the agent is the id of
 * the agent the task was routed to, or {@code none} ({@link MeterTags#agent(String)}).
 */
@Component
public class ToolCallMetrics {

    public static final ToolCallMetrics NONE = new ToolCallMetrics(Metrics.globalRegistry);
    static final String OTHER = "other";

    private final MeterRegistry registry;

    @Autowired
    public ToolCallMetrics(ObjectProvider<MeterRegistry> registry) {
        this(registry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    public ToolCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void call(McpServer server, String tool, String agentId, Throwable failure, long nanos) {
        String outcome = outcome(failure);
        Timer.builder("keiko.tool.calls").description("MCP tool calls, by the outcome of each attempt")
                .tag("server", server == null ? OTHER : server.name())
                .tag("tool", known(server, tool, outcome) ? tool : OTHER)
                .tag("agent", MeterTags.agent(agentId))
                .tag("outcome", outcome).register(registry).record(Duration.ofNanos(nanos));
    }

    private static boolean known(McpServer server, String tool, String outcome) {
        if (server == null) {
            return false;
        }
        boolean answered = MeterTags.SUCCESS.equals(outcome) || ToolFailureTypes.TOOL_ERROR.equals(outcome);
        boolean listed = server.policy().allowedTools() != null && server.policy().allowedTools().contains(tool);
        return answered || listed;
    }

    private static String outcome(Throwable failure) {
        if (failure == null) {
            return MeterTags.SUCCESS;
        }
        return failure instanceof ApplicationFailure application ? MeterTags.failureType(application.getType())
                : MeterTags.OTHER;
    }
}
