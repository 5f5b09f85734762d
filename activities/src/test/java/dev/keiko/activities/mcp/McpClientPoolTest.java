package dev.keiko.activities.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** The pool on its own, against real servers. */
class McpClientPoolTest {

    private static InJvmMcpServer mcp;

    private final McpClientPool pool = new McpClientPool(
            new McpClientProperties(Duration.ofSeconds(20), Duration.ofSeconds(10)), TestMcpProperties.loopback());

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
    }

    @Test
    void callsArrivingTogetherShareOneClient() {
        McpServer server = mcp.definition(name("together"), McpTransport.STREAMABLE_HTTP);

        List<McpConnection> connections = Flux.range(0, 8)
                .flatMap(i -> pool.connection(server))
                .collectList()
                .block(Duration.ofSeconds(20));

        assertThat(connections).hasSize(8)
                .allSatisfy(connection -> assertThat(connection).isSameAs(connections.getFirst()));
        assertThat(mcp.traffic().count(server.name(), "initialize")).isEqualTo(1);
    }

    @Test
    void aChangedDefinitionGetsANewClient() {
        String name = name("changed");
        McpServer before = mcp.definition(name, McpTransport.STREAMABLE_HTTP);
        McpServer after = mcp.definition(name, McpTransport.SSE);

        McpConnection first = pool.connection(before).block();
        McpConnection second = pool.connection(after).block();

        assertThat(second).isNotSameAs(first);
        assertThat(second.server()).isEqualTo(after);
        assertThat(pool.connection(after).block()).isSameAs(second);
    }

    @Test
    void aRequestThatTimesOutIsCancelledAndItsClientReplaced() throws Exception {
        McpServer server = mcp.definition(name("timeout"), McpTransport.STREAMABLE_HTTP);
        mcp.tools().resetSlow();
        try (McpClientPool impatient = new McpClientPool(
                new McpClientProperties(Duration.ofSeconds(1), Duration.ofSeconds(10)), TestMcpProperties.loopback())) {
            McpConnection first = impatient.connection(server).block();

            Throwable failure = catchThrowable(() -> first.callTool("slow", Map.of(), progress -> { }).block());

            assertThat(failure).hasCauseInstanceOf(TimeoutException.class);
            assertThat(mcp.tools().slowFinished().get(5, TimeUnit.SECONDS)).isEqualTo(TestTools.CANCELLED);
            assertThat(impatient.connection(server).block()).isNotSameAs(first);
        }
    }

    @Test
    void aConnectionClosedUnderACallStillSaysItsServerOffersTools() {
        McpServer server = mcp.definition(name("closed"), McpTransport.STREAMABLE_HTTP);
        McpConnection connection = pool.connection(server).block();
        assertThat(connection.offersTools()).isTrue();

        // What another call's failure does to a connection this call already holds.
        pool.discard(connection);

        // Once closed, asking the server fails (a broken connection, retried), never "no tools" (not retried).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(catchThrowable(
                () -> connection.listTools().block(Duration.ofSeconds(5)))).isNotNull());
        assertThat(connection.offersTools()).isTrue();
    }

    @Test
    void listsToolsAcrossPages() throws Exception {
        Path script = Path.of(getClass().getResource("/mcp/paged-tools-server.cjs").toURI());
        McpServer server = new McpServer(name("paged"), McpTransport.STDIO, "node", List.of(script.toString()),
                Map.of("NODE_PATH", EverythingServer.NODE_MODULES.toString()), null, null, McpServer.FROM_API);

        List<McpSchema.Tool> tools = pool.connection(server).flatMap(McpConnection::listTools).block();

        assertThat(tools).extracting(McpSchema.Tool::name).containsExactly("alpha", "beta", "gamma", "delta");
    }

    @Test
    void closingThePoolStopsItsServerProcesses() {
        McpServer server = EverythingServer.stdio(name("closed"), Map.of());
        pool.connection(server).block();
        assertThat(EverythingServer.processes(server.name())).hasSize(1);

        pool.close();

        assertThat(EverythingServer.processes(server.name())).isEmpty();
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
