package dev.keiko.api.auth;

import dev.keiko.embedded.EmbeddedPostgresServer;
import dev.keiko.embedded.EmbeddedServices;
import io.r2dbc.spi.ConnectionFactories;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A newly created and migrated database on the shared embedded PostgreSQL, for tests that need tables
 * nobody else writes to (such as a users table without an admin). Closing drops it.
 */
final class FreshDatabase implements AutoCloseable {

    private final String name = "fresh_" + UUID.randomUUID().toString().replace("-", "");
    private final EmbeddedPostgresServer server = EmbeddedServices.shared().postgres();

    FreshDatabase() {
        execute("CREATE DATABASE " + name);
        Flyway.configure().dataSource("jdbc:" + url(), EmbeddedPostgresServer.USERNAME,
                EmbeddedPostgresServer.PASSWORD).load().migrate();
    }

    DatabaseClient client() {
        return DatabaseClient.create(ConnectionFactories.get("r2dbc:postgresql://" + EmbeddedPostgresServer.USERNAME
                + ":" + EmbeddedPostgresServer.PASSWORD + "@127.0.0.1:" + server.port() + "/" + name));
    }

    private String url() {
        return "postgresql://127.0.0.1:" + server.port() + "/" + name;
    }

    @Override
    public void close() {
        execute("DROP DATABASE " + name + " WITH (FORCE)");
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection("jdbc:" + server.url(),
                EmbeddedPostgresServer.USERNAME, EmbeddedPostgresServer.PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run " + sql, e);
        }
    }
}
