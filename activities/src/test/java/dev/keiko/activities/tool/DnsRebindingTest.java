package dev.keiko.activities.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.keiko.activities.mcp.InJvmMcpServer;
import dev.keiko.activities.mcp.McpClientPool;
import dev.keiko.activities.mcp.McpClientProperties;
import dev.keiko.activities.mcp.McpConnection;
import dev.keiko.activities.mcp.RebindingResolverProvider;
import dev.keiko.domain.mcp.McpProperties;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpTransport;
import dev.keiko.workflows.tool.ToolFailureTypes;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.temporal.failure.ApplicationFailure;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.util.unit.DataSize;

/**
 * A server name that points at an allowed address when the client connects and at a refused one
 * later (DNS rebinding): the later request is refused before it is sent, although the server
 * listens on both addresses and the client's connection is still open.
 */
class DnsRebindingTest {

    private static final InetAddress ALLOWED = address(127, 0, 0, 1);
    private static final InetAddress REFUSED = address(127, 0, 0, 2);

    private static InJvmMcpServer mcp;

    // Only 127.0.0.1 may be reached: 127.0.0.2 stands for an internal address.
    private final McpClientPool pool = new McpClientPool(
            new McpClientProperties(Duration.ofSeconds(20), Duration.ofSeconds(10)),
            new McpProperties(Map.of(), Duration.ofSeconds(60), List.of("127.0.0.1/32"), List.of(),
                    DataSize.ofMegabytes(1), Duration.ofMinutes(1)));

    @BeforeAll
    static void startServer() {
        mcp = InJvmMcpServer.start();
    }

    @AfterAll
    static void stopServer() {
        mcp.close();
    }

    @AfterEach
    void closePool() {
        pool.close();
        RebindingResolverProvider.pointAt(InetAddress.getLoopbackAddress());
    }

    @ParameterizedTest
    @EnumSource(value = McpTransport.class, names = {"STREAMABLE_HTTP", "SSE"})
    void aRequestAfterTheNameMovesInsideIsRefusedAndNeverSent(McpTransport transport) {
        String name = "rebind-" + UUID.randomUUID().toString().substring(0, 8);
        McpServer local = mcp.definition(name, transport);
        McpServer server = new McpServer(name, transport, null, List.of(), Map.of(),
                local.url().replace("127.0.0.1", RebindingResolverProvider.NAME), local.headers(), McpServer.FROM_API);
        RebindingResolverProvider.pointAt(ALLOWED);
        McpConnection connection = pool.connection(server).block(Duration.ofSeconds(20));
        CallToolResult first = connection.callTool("echo", Map.of("message", "before"), progress -> { })
                .block(Duration.ofSeconds(20));

        RebindingResolverProvider.pointAt(REFUSED);
        Throwable refused = catchThrowable(() -> connection.callTool("echo", Map.of("message", "after"),
                progress -> { }).block(Duration.ofSeconds(20)));

        assertThat(first.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(refused).isNotNull();
        ApplicationFailure failure = (ApplicationFailure) ToolFailures.of(name, refused);
        assertThat(failure.getType()).isEqualTo(ToolFailureTypes.ADDRESS_NOT_ALLOWED);
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(mcp.traffic().count(name, "tools/call")).isEqualTo(1);
    }

    private static InetAddress address(int... bytes) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) bytes[0], (byte) bytes[1], (byte) bytes[2],
                    (byte) bytes[3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
