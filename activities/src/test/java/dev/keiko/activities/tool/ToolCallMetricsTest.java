package dev.keiko.activities.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpServerPolicy;
import dev.keiko.domain.mcp.McpTransport;
import dev.keiko.workflows.tool.ToolFailureTypes;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A tool call's tags name only tools a server answered for or lists, Keiko's own failure types, and the task's
 * agent by its id or as none.
 */
class ToolCallMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ToolCallMetrics metrics = new ToolCallMetrics(registry);

    @Test
    void aToolTheServerAnsweredForIsNamed() {
        metrics.call(server("open", null), "echo", null, null, 1_000_000);
        metrics.call(server("open", null), "add", null, ToolFailures.toolError("bad input"), 1_000_000);

        assertThat(calls("open", "echo", "success")).isEqualTo(1);
        assertThat(calls("open", "add", ToolFailureTypes.TOOL_ERROR)).isEqualTo(1);
    }

    @Test
    void aToolNoServerAnsweredForIsOtherUnlessItsServerListsIt() {
        String hostile = "x".repeat(100);
        metrics.call(server("open", null), hostile, null, ToolFailures.unknownTool("open", hostile), 1_000_000);
        metrics.call(server("open", null), hostile + "2", null, new IllegalStateException("transport lost"),
                1_000_000);
        metrics.call(server("listed", List.of("slow")), "slow", null, ApplicationFailure.newFailure("timed out",
                ToolFailureTypes.MCP_UNAVAILABLE), 1_000_000);
        metrics.call(null, hostile, null, ToolFailures.unknownServer(hostile), 1_000_000);

        assertThat(calls("open", "other", ToolFailureTypes.UNKNOWN_TOOL)).isEqualTo(1);
        assertThat(calls("open", "other", "OTHER")).isEqualTo(1);
        assertThat(calls("listed", "slow", ToolFailureTypes.MCP_UNAVAILABLE)).isEqualTo(1);
        assertThat(calls("other", "other", ToolFailureTypes.UNKNOWN_SERVER)).isEqualTo(1);
        assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTags())
                .noneSatisfy(tag -> assertThat(tag.getValue()).contains("xxx")));
    }

    @Test
    void aFailureTypeThatIsNotKeikosIsOther() {
        metrics.call(server("open", null), "echo", null,
                ApplicationFailure.newFailure("odd", "free text from somewhere"), 1_000_000);

        assertThat(calls("open", "other", "OTHER")).isEqualTo(1);
    }

    @Test
    void aCallIsTaggedWithItsTasksAgentOrNone() {
        String agent = UUID.randomUUID().toString();
        metrics.call(server("open", null), "echo", agent, null, 1_000_000);
        metrics.call(server("open", null), "echo", null, null, 1_000_000);
        metrics.call(server("open", null), "echo", "not an agent id", null, 1_000_000);

        assertThat(calls("open", "echo", agent, "success")).isEqualTo(1);
        assertThat(calls("open", "echo", "none", "success")).isEqualTo(1);
        assertThat(calls("open", "echo", "OTHER", "success")).isEqualTo(1);
        assertThat(registry.find("keiko.tool.calls").timers()).hasSize(3);
    }

    private long calls(String server, String tool, String outcome) {
        return calls(server, tool, "none", outcome);
    }

    private long calls(String server, String tool, String agent, String outcome) {
        Timer timer = registry.find("keiko.tool.calls")
                .tags("server", server, "tool", tool, "agent", agent, "outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private static McpServer server(String name, List<String> allowedTools) {
        return new McpServer(name, McpTransport.STDIO, "node", List.of(), Map.of(), null, Map.of(), McpServer.FROM_CONFIG,
                new McpServerPolicy(allowedTools, null));
    }
}
