package dev.keiko.activities;

import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpServerCatalog;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import dev.keiko.embedded.EmbeddedServices;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the module's Spring tests: the activity beans against embedded PostgreSQL, migrated by
 * Flyway, and the embedded Temporal server, which the starter only makes a client for.
 */
@SpringBootTest(classes = ActivitiesTestApplication.class, properties = {
        "spring.config.import=classpath:keiko-defaults.yml",
        "spring.temporal.workers-auto-discovery.enabled=false",
        "keiko.mcp.client.request-timeout=20s",
        "keiko.mcp.client.initialization-timeout=10s",
        "keiko.mcp.allowed-networks=127.0.0.0/8,::1/128"})
public abstract class ActivitiesTest {

    @Autowired
    protected McpServerCatalog catalog;

    @Autowired
    UserStore users;

    @DynamicPropertySource
    static void embeddedServices(DynamicPropertyRegistry registry) {
        EmbeddedServices.shared().properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    /** Registers the server as the API would, under its name. */
    protected McpServer register(McpServer server) {
        UUID owner = users.insert(uniqueName("owner"), "{noop}x", Role.ADMIN, UserProfile.EMPTY).block().id();
        return catalog.register(server, owner).blockOptional()
                .orElseThrow(() -> new IllegalStateException(server.name() + " is taken"));
    }

    protected static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
