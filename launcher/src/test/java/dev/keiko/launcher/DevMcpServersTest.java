package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.mcp.McpProperties;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpServerCatalog;
import dev.keiko.domain.mcp.McpServerPolicy;
import dev.keiko.domain.mcp.McpTransport;
import dev.keiko.domain.user.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * The launcher's registration of {@code everything} in the dev system's database, through a catalog that
 * configures no server of that name (the dev system configures one, which would shadow the table).
 */
class DevMcpServersTest {

    private static final Path SCRIPT = Path.of("/opt/keiko-old-checkout/mcp-servers/node_modules/"
            + "@modelcontextprotocol/server-everything/dist/index.js");

    private McpServerCatalog catalog;

    @BeforeEach
    void catalog() {
        DevSystem system = DevSystem.shared();
        catalog = new McpServerCatalog(system.api.getBean(DatabaseClient.class), system.api.getBean(JsonMapper.class),
                new McpProperties(Map.of(), Duration.ofSeconds(60), List.of(), List.of(), DataSize.ofMegabytes(1),
                        Duration.ofMinutes(1)));
        catalog.delete(DevMcpServers.EVERYTHING, Role.ADMIN).block();
    }

    @AfterEach
    void removeEverything() {
        catalog.delete(DevMcpServers.EVERYTHING, Role.ADMIN).block();
    }

    @Test
    void anOpenRegistrationFromBeforeAllowListsGetsTheLaunchersTools() {
        catalog.register(everything(SCRIPT, new McpServerPolicy(null, List.of(Role.USER))), null).block();

        DevMcpServers.registerEverything(catalog, Path.of("/work/keiko").resolve(SCRIPT.getFileName()));

        McpServer limited = catalog.find(DevMcpServers.EVERYTHING).block();
        assertThat(limited.policy().allowedTools()).containsExactlyElementsOf(DevMcpServers.EVERYTHING_TOOLS);
        assertThat(limited.policy().allowedRoles()).containsExactly(Role.USER);
        assertThat(limited.args()).containsExactly(SCRIPT.toString(), "stdio");
    }

    @Test
    void anOpenRegistrationKeepsWhoRegisteredItWhenLimited() {
        DevSystem.TestUser registrant = DevSystem.shared().user(Role.USER);
        catalog.register(everything(SCRIPT, McpServerPolicy.OPEN), registrant.id(), Role.USER).block();

        DevMcpServers.registerEverything(catalog, SCRIPT);

        Map<String, Object> row = DevSystem.shared().api.getBean(DatabaseClient.class)
                .sql("SELECT created_by, registered_by_role FROM mcp_servers WHERE name = :name")
                .bind("name", DevMcpServers.EVERYTHING).fetch().one().block();
        assertThat(row).containsEntry("created_by", registrant.id()).containsEntry("registered_by_role", "user");
        assertThat(catalog.find(DevMcpServers.EVERYTHING).block().policy().allowedTools())
                .containsExactlyElementsOf(DevMcpServers.EVERYTHING_TOOLS);
    }

    @Test
    void aRegistrationWhoseArgumentIsNoPathIsSomeoneElses() {
        McpServer noPath = new McpServer(DevMcpServers.EVERYTHING, McpTransport.STDIO, "node",
                List.of("/srv/\0/" + SCRIPT, "stdio"), Map.of(), null, Map.of(), McpServer.FROM_API);

        assertThat(DevMcpServers.isOpenLauncherRegistration(noPath)).isFalse();
        assertThat(DevMcpServers.isOpenLauncherRegistration(everything(SCRIPT, McpServerPolicy.OPEN))).isTrue();
    }

    @Test
    void anAbsentServerIsRegisteredWithTheLaunchersTools() {
        DevMcpServers.registerEverything(catalog, SCRIPT);

        assertThat(catalog.find(DevMcpServers.EVERYTHING).block().policy().allowedTools())
                .containsExactlyElementsOf(DevMcpServers.EVERYTHING_TOOLS);
    }

    @Test
    void someoneElsesServerOfThatNameIsLeftAlone() {
        McpServer own = new McpServer(DevMcpServers.EVERYTHING, McpTransport.STDIO, "node",
                List.of("/srv/my-everything.js"), Map.of(), null, Map.of(), McpServer.FROM_API);
        catalog.register(own, null).block();

        DevMcpServers.registerEverything(catalog, SCRIPT);

        assertThat(catalog.find(DevMcpServers.EVERYTHING).block().policy().allowedTools()).isNull();
    }

    private static McpServer everything(Path script, McpServerPolicy policy) {
        return new McpServer(DevMcpServers.EVERYTHING, McpTransport.STDIO, "node", List.of(script.toString(), "stdio"),
                Map.of(), null, Map.of(), McpServer.FROM_API, policy);
    }
}
