package dev.keiko.bench.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.embedded.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The watcher against a real PostgreSQL that crashes and comes back: a watch outlives the outage. */
class TaskWatcherTest {

    private static EmbeddedPostgresServer postgres;
    private static String jdbcUrl;

    @BeforeAll
    static void startPostgres() throws SQLException {
        postgres = EmbeddedPostgresServer.start(0);
        jdbcUrl = "jdbc:" + postgres.url();
        sql("CREATE TABLE tasks (id uuid PRIMARY KEY, status text NOT NULL, finished_at timestamptz)");
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Test
    void aWatchOutlivesAPostgresCrashAndSeesTheStatusWrittenAfterIt() throws Exception {
        UUID running = UUID.randomUUID();
        UUID failed = UUID.randomUUID();
        sql("INSERT INTO tasks VALUES ('" + running + "', 'running', null), ('" + failed + "', 'running', null)");
        try (TaskWatcher watcher = new TaskWatcher(jdbcUrl, EmbeddedPostgresServer.USERNAME,
                EmbeddedPostgresServer.PASSWORD)) {
            CompletableFuture<TaskWatcher.Seen> completed = watcher.watch(running, "completed");
            CompletableFuture<TaskWatcher.Seen> otherwise = watcher.watch(failed, "completed");
            Thread.sleep(200);

            Path log = Files.createTempFile("task-watcher-postgres", ".log");
            postgres.crash(log);
            Thread.sleep(1500);
            assertThat(completed).as("a watch while PostgreSQL is down").isNotDone();
            assertThat(otherwise).isNotDone();
            postgres.restart();

            // No notification is sent: the watcher reads watched tasks again once it is back, and every second.
            sql("UPDATE tasks SET status = 'completed', finished_at = now() WHERE id = '" + running + "'");
            sql("UPDATE tasks SET status = 'failed', finished_at = now() WHERE id = '" + failed + "'");
            assertThat(completed.get(10, TimeUnit.SECONDS).status()).isEqualTo("completed");
            assertThat(otherwise).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .withCauseInstanceOf(TaskWatcher.EndedOtherwise.class);
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, EmbeddedPostgresServer.USERNAME,
                EmbeddedPostgresServer.PASSWORD); var run = connection.createStatement()) {
            run.execute(statement);
        }
    }
}
