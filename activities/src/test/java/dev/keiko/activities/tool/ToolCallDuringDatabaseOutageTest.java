package dev.keiko.activities.tool;

import static dev.keiko.activities.ActivityEnvironment.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.keiko.activities.ActivitiesTestApplication;
import dev.keiko.activities.mcp.InJvmMcpServer;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpServerCatalog;
import dev.keiko.domain.mcp.McpTransport;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import dev.keiko.embedded.EmbeddedPostgresServer;
import dev.keiko.embedded.EmbeddedServices;
import dev.keiko.workflows.tool.ToolCallInput;
import dev.keiko.workflows.tool.ToolCallOutput;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A tool call while PostgreSQL is down, stopped for real: a server this worker has read before is called with its
 * definition as last read, so that an outage longer than the call's attempts does not fail the task; one it never
 * read fails retryably. On a PostgreSQL of its own, so that no other test sees the outage.
 */
@SpringBootTest(classes = ActivitiesTestApplication.class, properties = {
        "spring.config.import=classpath:keiko-defaults.yml",
        "spring.temporal.workers-auto-discovery.enabled=false",
        "keiko.mcp.client.request-timeout=20s",
        "keiko.mcp.client.initialization-timeout=10s",
        "keiko.mcp.allowed-networks=127.0.0.0/8,::1/128"})
class ToolCallDuringDatabaseOutageTest {

    private static final EmbeddedPostgresServer POSTGRES = EmbeddedPostgresServer.start(0);
    private static InJvmMcpServer mcp;

    @Autowired
    ToolActivitiesImpl implementation;

    @Autowired
    McpServerCatalog catalog;

    @Autowired
    UserStore users;

    private ToolActivityEnvironment environment;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        EmbeddedServices.shared().properties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("keiko.db.url", POSTGRES::url);
    }

    @BeforeAll
    static void startServer() {
        mcp = InJvmMcpServer.start();
    }

    @AfterAll
    static void stop() {
        mcp.close();
        POSTGRES.close();
    }

    @BeforeEach
    void startEnvironment() {
        environment = new ToolActivityEnvironment(implementation);
    }

    @AfterEach
    void closeEnvironment() {
        environment.close();
    }

    @Test
    void aServerReadBeforeTheOutageIsCalledWithItsLastDefinition() {
        McpServer known = register("outage-known");
        McpServer unread = register("outage-unread");
        assertThat(text(call(known, "before"))).isEqualTo("Echo: before");

        POSTGRES.crash(Path.of("target", "postgres-outage-" + UUID.randomUUID() + ".log"));
        ToolCallOutput during;
        ApplicationFailure unreadFailure;
        try {
            during = call(known, "during");
            unreadFailure = failure(() -> call(unread, "during"));
        } finally {
            POSTGRES.restart();
        }

        assertThat(text(during)).isEqualTo("Echo: during");
        assertThat(unreadFailure.isNonRetryable()).isFalse();
        assertThat(unreadFailure.getType()).contains("DataAccess");
    }

    @Test
    void aDefinitionOlderThanTheMaxAgeIsNotUsedAndAServerDeletedBeforeTheOutageIsForgottenOnceRead() {
        // The pool may still hold connections that another test's restart cut: they fail once each, then go.
        McpServer kept = await().ignoreExceptions().atMost(Duration.ofSeconds(20))
                .until(() -> register("outage-aged"), server -> true);
        McpServer deleted = register("outage-deleted");
        KnownServers known = new KnownServers(catalog, Duration.ofSeconds(2));
        assertThat(known.find(kept.name()).block()).isNotNull();
        assertThat(known.find(deleted.name()).block()).isNotNull();
        catalog.delete(deleted.name(), Role.ADMIN).block();
        assertThat(known.find(deleted.name()).blockOptional()).isEmpty();

        POSTGRES.crash(Path.of("target", "postgres-outage-" + UUID.randomUUID() + ".log"));
        try {
            assertThatThrownBy(() -> known.find(deleted.name()).block()).isNotNull();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> known.find(kept.name()).block()).isNotNull());
        } finally {
            POSTGRES.restart();
        }
    }

    private McpServer register(String prefix) {
        UUID owner = users.insert(prefix + "-owner-" + UUID.randomUUID().toString().substring(0, 8), "{noop}x",
                Role.ADMIN, UserProfile.EMPTY).block().id();
        McpServer server = mcp.definition(prefix + "-" + UUID.randomUUID().toString().substring(0, 8),
                McpTransport.STREAMABLE_HTTP);
        return catalog.register(server, owner).blockOptional().orElseThrow();
    }

    private ToolCallOutput call(McpServer server, String message) {
        return environment.activities().callTool(new ToolCallInput(UUID.randomUUID().toString(), server.name(),
                "echo", Map.of("message", message)));
    }

    private static String text(ToolCallOutput output) {
        return String.valueOf(output.content().getFirst().get("text"));
    }
}
