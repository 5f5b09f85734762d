package dev.keiko.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/** A PostgreSQL server in a temporary directory, for the dev launcher and tests. Closing stops it. */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String USERNAME = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private PostgresControl control;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a server on {@code port}, or on a free port when it is 0. */
    public static EmbeddedPostgresServer start(int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setServerConfig("max_connections", "200")
                    // The library commits asynchronously: a crashed server (or the dev system killed) lost rows whose
                    // commit it had answered, such as a task the API had accepted with 202. fsync stays off: a
                    // commit written to the OS survives the server's crash, if not the machine's.
                    .setServerConfig("synchronous_commit", "on");
            if (port > 0) {
                builder.setPort(port);
            }
            return new EmbeddedPostgresServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** The URL without its driver prefix, as {@code keiko.db.url} takes it. */
    public String url() {
        return "postgresql://127.0.0.1:" + port() + "/postgres";
    }

    /**
     * Stops the server as a crash would ({@code pg_ctl stop -m immediate}): every session ends at once, without a
     * checkpoint, and its port refuses connections until {@link #restart()}, which replays the write-ahead log.
     * {@code log} receives {@code pg_ctl}'s output and, after a restart, the server's.
     */
    public synchronized void crash(Path log) {
        if (control == null) {
            control = PostgresControl.of(port(), log);
        }
        control.stop("immediate");
    }

    /** Starts a server {@link #crash crashed} again, on the same port and data, and waits until it accepts. */
    public synchronized void restart() {
        if (control == null) {
            throw new IllegalStateException("The server was not stopped");
        }
        control.start();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
