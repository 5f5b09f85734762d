package dev.keiko.activities.tool;

import static dev.keiko.activities.ActivityEnvironment.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.keiko.activities.mcp.EverythingServer;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpTransport;
import dev.keiko.workflows.tool.ListToolsInput;
import dev.keiko.workflows.tool.ToolCallInput;
import dev.keiko.workflows.tool.ToolCallOutput;
import dev.keiko.workflows.tool.ToolFailureTypes;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Where the activities let an HTTP server be reached (the tests allow loopback only), what a
 * failure says about a remote that does not speak MCP, and how much of a tool's output they keep.
 */
class McpServerReachTest extends ToolActivitiesTest {

    @Test
    void urlsPointingInsideAreRefusedAtConnectTimeWithoutRetry() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://10.0.0.1:9/mcp",
                "http://[::ffff:192.168.0.1]/mcp", "http://metadata.google.internal/computeMetadata/v1/")) {
            McpServer server = register(http(uniqueName("inside"), url));

            var call = failure(() -> call(server.name(), "echo", Map.of("message", "x")));
            var list = failure(() -> environment.activities().listTools(new ListToolsInput(server.name())));

            assertThat(call.getType()).as(url).isEqualTo(ToolFailureTypes.ADDRESS_NOT_ALLOWED);
            assertThat(call.isNonRetryable()).isTrue();
            // Never the range or the address a name resolved to.
            assertThat(call.getOriginalMessage()).contains("may not").doesNotContainPattern("/\\d")
                    .doesNotContain("169.254").doesNotContain("192.168").doesNotContain("10.0.0");
            assertThat(list.getType()).isEqualTo(ToolFailureTypes.ADDRESS_NOT_ALLOWED);
        }
    }

    @Test
    void aRemoteThatDoesNotSpeakMcpIsReportedWithoutItsAnswerAndRedirectsAreNotFollowed() throws Exception {
        AtomicInteger redirectedTo = new AtomicInteger();
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", exchange -> {
            redirectedTo.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        HttpServer remote = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        remote.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + target.getAddress().getPort() + "/");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        remote.createContext("/", exchange -> {
            byte[] body = "INTERNAL-ADMIN-CONSOLE v1.2 secret banner".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        remote.start();
        try {
            String base = "http://127.0.0.1:" + remote.getAddress().getPort();
            for (McpTransport transport : List.of(McpTransport.STREAMABLE_HTTP, McpTransport.SSE)) {
                McpServer console = register(http(uniqueName("console"), base + "/mcp").withTransport(transport));
                McpServer redirecting = register(http(uniqueName("redirect"), base + "/redirect")
                        .withTransport(transport));

                var failure = failure(() -> call(console.name(), "echo", Map.of("message", "x")));
                failure(() -> call(redirecting.name(), "echo", Map.of("message", "x")));

                assertThat(failure.getType()).isEqualTo(ToolFailureTypes.MCP_UNAVAILABLE);
                assertThat(failure.getOriginalMessage()).as(transport.value())
                        .isEqualTo("MCP server '" + console.name() + "' is unreachable or did not answer as an MCP"
                                + " server");
                assertThat(failure.getCause()).isNull();
            }
            assertThat(redirectedTo).hasValue(0);
        } finally {
            remote.stop(0);
            target.stop(0);
        }
    }

    @Test
    void toolOutputOverTheLimitIsCutAndMarked() {
        McpServer server = register(EverythingServer.stdio(uniqueName("everything-large"), Map.of()));
        String message = "x".repeat(1_500_000);

        ToolCallOutput large = call(server.name(), "echo", Map.of("message", message));
        ToolCallOutput small = call(server.name(), "echo", Map.of("message", "small"));

        assertThat(large.truncated()).isTrue();
        assertThat(large.content()).hasSize(2);
        String kept = String.valueOf(large.content().getFirst().get("text"));
        assertThat(kept).startsWith("Echo: xxx");
        assertThat(kept.length()).isLessThanOrEqualTo(1024 * 1024).isGreaterThan(1000 * 1000);
        assertThat(String.valueOf(large.content().getLast().get("text")))
                .contains("cut").contains("keiko.mcp.max-tool-output");
        assertThat(small.truncated()).isFalse();
        assertThat(small.content()).containsExactly(Map.of("type", "text", "text", "Echo: small"));
    }

    @Test
    void theOutputLimitCountsUtf8BytesAndCutsBetweenCodePoints() {
        McpServer server = register(EverythingServer.stdio(uniqueName("everything-emoji"), Map.of()));
        // 600,000 characters, 1,200,000 bytes: within the limit by characters, over it by bytes.
        String message = "\uD83D\uDE00".repeat(300_000);

        ToolCallOutput large = call(server.name(), "echo", Map.of("message", message));

        assertThat(large.truncated()).isTrue();
        String kept = String.valueOf(large.content().getFirst().get("text"));
        assertThat(kept).startsWith("Echo: \uD83D\uDE00");
        assertThat(kept.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024 * 1024)
                .isGreaterThan(1000 * 1000);
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
        assertThat(kept.substring("Echo: ".length())).matches("(\uD83D\uDE00)+");
    }

    private static McpServer http(String name, String url) {
        return new McpServer(name, McpTransport.STREAMABLE_HTTP, null, List.of(), Map.of(), url, Map.of(),
                McpServer.FROM_API);
    }

    private ToolCallOutput call(String server, String tool, Map<String, Object> arguments) {
        return environment.activities()
                .callTool(new ToolCallInput(UUID.randomUUID().toString(), server, tool, arguments));
    }
}
