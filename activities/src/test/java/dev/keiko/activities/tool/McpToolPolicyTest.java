package dev.keiko.activities.tool;

import static dev.keiko.activities.ActivityEnvironment.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.activities.mcp.EverythingServer;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpServerPolicy;
import dev.keiko.domain.mcp.McpTransport;
import dev.keiko.workflows.tool.ListToolsInput;
import dev.keiko.workflows.tool.ToolCallInput;
import dev.keiko.workflows.tool.ToolCallOutput;
import dev.keiko.workflows.tool.ToolDescriptor;
import dev.keiko.workflows.tool.ToolFailureTypes;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a stdio server sees of the worker, and which of its tools the activities let tasks use. */
class McpToolPolicyTest extends ToolActivitiesTest {

    private static final String WORKER_SECRET = "KEIKO_TEST_WORKER_SECRET";

    @Test
    void aStdioServerSeesNoneOfTheWorkersSecretsButWhatItsDefinitionNames() {
        assertThat(System.getenv(WORKER_SECRET)).as("surefire sets the worker's secret").isNotBlank();
        McpServer server = register(EverythingServer.stdio(uniqueName("everything-env"),
                Map.of("KEIKO_TOOL_SETTING", "given-to-the-tool")));

        String environment = text(call(server.name(), "get-env", Map.of()));

        assertThat(environment).contains("KEIKO_TOOL_SETTING").contains("given-to-the-tool").contains("\"PATH\"")
                .doesNotContain(WORKER_SECRET).doesNotContain(System.getenv(WORKER_SECRET));
    }

    @Test
    void onlyAllowedToolsAreListedForTasks() {
        McpServer server = register(EverythingServer.stdio(uniqueName("everything-allowed"), Map.of())
                .withPolicy(new McpServerPolicy(List.of("echo", "get-sum"), null)));

        assertThat(environment.activities().listTools(new ListToolsInput(server.name())).tools())
                .extracting(ToolDescriptor::name).containsExactlyInAnyOrder("echo", "get-sum");
        assertThat(environment.activities().listTools(new ListToolsInput(server.name(), true)).tools())
                .extracting(ToolDescriptor::name).contains("echo", "get-sum", "get-env");
        assertThat(text(call(server.name(), "echo", Map.of("message", "allowed")))).isEqualTo("Echo: allowed");
    }

    @Test
    void aToolOutsideTheAllowListIsRefusedWithoutCallingTheServer() {
        // A command that cannot start: had the activity tried to reach the server, it would fail INVALID_SERVER.
        McpServer server = register(new McpServer(uniqueName("never-started"), McpTransport.STDIO,
                "/nonexistent/keiko-mcp-server", null, null, null, null, McpServer.FROM_API,
                new McpServerPolicy(List.of("echo"), null)));

        var failure = failure(() -> call(server.name(), "get-env", Map.of()));

        assertThat(failure.getType()).isEqualTo(ToolFailureTypes.TOOL_NOT_ALLOWED);
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).contains("get-env").contains("not allowed");
    }

    private ToolCallOutput call(String server, String tool, Map<String, Object> arguments) {
        return environment.activities()
                .callTool(new ToolCallInput(UUID.randomUUID().toString(), server, tool, arguments));
    }

    private static String text(ToolCallOutput output) {
        return String.valueOf(output.content().getFirst().get("text"));
    }
}
