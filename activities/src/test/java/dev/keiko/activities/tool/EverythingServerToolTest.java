package dev.keiko.activities.tool;

import static dev.keiko.activities.ActivityEnvironment.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.activities.mcp.EverythingServer;
import dev.keiko.activities.mcp.McpConnection;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpTransport;
import dev.keiko.workflows.tool.ListToolsInput;
import dev.keiko.workflows.tool.ToolCallInput;
import dev.keiko.workflows.tool.ToolCallOutput;
import dev.keiko.workflows.tool.ToolDescriptor;
import dev.keiko.workflows.tool.ToolFailureTypes;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The activities against the reference server, over stdio and streamable HTTP. */
class EverythingServerToolTest extends ToolActivitiesTest {

    private static EverythingServer http;

    @BeforeAll
    static void startHttpServer() {
        http = EverythingServer.startStreamableHttp();
    }

    @AfterAll
    static void stopHttpServer() {
        http.close();
    }

    @Test
    void callsToolsOverStdio() {
        McpServer server = register(EverythingServer.stdio(uniqueName("everything-stdio"),
                Map.of("KEIKO_TEST_ENV", "from-keiko")));

        assertThat(call(server, "echo", Map.of("message", "hello over stdio")).content())
                .containsExactly(Map.of("type", "text", "text", "Echo: hello over stdio"));
        assertThat(text(call(server, "get-sum", Map.of("a", 1, "b", 2)))).contains("3");
        assertThat(text(call(server, "get-env", Map.of()))).contains("KEIKO_TEST_ENV").contains("from-keiko");
    }

    @Test
    void returnsStructuredContent() {
        McpServer server = register(EverythingServer.stdio(uniqueName("everything-structured"), Map.of()));

        ToolCallOutput output = call(server, "get-structured-content", Map.of("location", "Chicago"));

        assertThat(output.structuredContent()).asInstanceOf(InstanceOfAssertFactories.map(String.class, Object.class))
                .containsKeys("temperature", "conditions", "humidity");
        assertThat(output.content()).first().extracting(item -> item.get("type")).isEqualTo("text");
    }

    @Test
    void listsToolsWithTheirSchemas() {
        McpServer server = register(EverythingServer.stdio(uniqueName("everything-list"), Map.of()));

        var tools = environment.activities().listTools(new ListToolsInput(server.name())).tools();

        assertThat(tools).extracting(ToolDescriptor::name).contains("echo", "get-sum", "get-structured-content");
        ToolDescriptor echo = tools.stream().filter(tool -> tool.name().equals("echo")).findFirst().orElseThrow();
        assertThat(echo.description()).isNotBlank();
        assertThat(echo.inputSchema()).containsEntry("type", "object").containsKey("properties");
    }

    @Test
    void anUnknownToolIsNotRetried() {
        McpServer server = register(EverythingServer.stdio(uniqueName("everything-unknown"), Map.of()));

        var failure = failure(() -> call(server, "no-such-tool", Map.of()));

        assertThat(failure.getType()).isEqualTo(ToolFailureTypes.UNKNOWN_TOOL);
        assertThat(failure.isNonRetryable()).isTrue();
    }

    @Test
    void anUnknownServerIsNotRetried() {
        assertThat(failure(() -> call("no-such-server", "echo", Map.of("message", "x"))).getType())
                .isEqualTo(ToolFailureTypes.UNKNOWN_SERVER);
        assertThat(failure(() -> environment.activities().listTools(new ListToolsInput("no-such-server"))).getType())
                .isEqualTo(ToolFailureTypes.UNKNOWN_SERVER);
    }

    @Test
    void aCommandThatCannotStartIsAnInvalidServer() {
        McpServer server = register(new McpServer(uniqueName("missing-command"), McpTransport.STDIO,
                "/nonexistent/keiko-mcp-server", null, null, null, null, McpServer.FROM_API));

        var failure = failure(() -> call(server, "echo", Map.of("message", "x")));

        assertThat(failure.getType()).isEqualTo(ToolFailureTypes.INVALID_SERVER);
        assertThat(failure.isNonRetryable()).isTrue();
    }

    @Test
    void reusesOneStdioProcessAndStartsANewOneAfterItDied() throws Exception {
        McpServer server = register(EverythingServer.stdio(uniqueName("everything-restart"), Map.of()));
        call(server, "echo", Map.of("message", "one"));
        McpConnection first = pool.connection(server).block();
        call(server, "echo", Map.of("message", "two"));
        assertThat(pool.connection(server).block()).isSameAs(first);
        assertThat(EverythingServer.processes(server.name())).hasSize(1);

        EverythingServer.killStdio(server.name());
        awaitDead(first);

        assertThat(text(call(server, "echo", Map.of("message", "three")))).isEqualTo("Echo: three");
        assertThat(pool.connection(server).block()).isNotSameAs(first);
        assertThat(EverythingServer.processes(server.name())).hasSize(1);
    }

    @Test
    void callsToolsOverStreamableHttpAndReconnectsAfterARestart() {
        McpServer server = register(http.definition(uniqueName("everything-http"), McpTransport.STREAMABLE_HTTP));
        assertThat(text(call(server, "echo", Map.of("message", "hello over http")))).isEqualTo("Echo: hello over http");
        assertThat(text(call(server, "get-sum", Map.of("a", 1, "b", 2)))).contains("3");
        McpConnection first = pool.connection(server).block();

        http.stop();
        var failure = failure(() -> call(server, "echo", Map.of("message", "down")));
        assertThat(failure.isNonRetryable()).isFalse();
        http.start();

        assertThat(text(call(server, "echo", Map.of("message", "back")))).isEqualTo("Echo: back");
        assertThat(pool.connection(server).block()).isNotSameAs(first);
    }

    private ToolCallOutput call(McpServer server, String tool, Map<String, Object> arguments) {
        return call(server.name(), tool, arguments);
    }

    private ToolCallOutput call(String server, String tool, Map<String, Object> arguments) {
        return environment.activities()
                .callTool(new ToolCallInput(UUID.randomUUID().toString(), server, tool, arguments));
    }

    private static String text(ToolCallOutput output) {
        return String.valueOf(output.content().getFirst().get("text"));
    }

    private static void awaitDead(McpConnection connection) throws InterruptedException {
        for (int i = 0; i < 100 && connection.isAlive(); i++) {
            Thread.sleep(50);
        }
        assertThat(connection.isAlive()).isFalse();
    }
}
