package dev.keiko.bench.system;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Sees tasks reach a status in PostgreSQL's read model without asking the API (whose CPU the benchmarks measure):
 * it listens on the channel {@code task_events}, on which every task event is announced with its task's id, and reads
 * the status of the watched tasks announced, in one query per batch; newly watched tasks are read once at once too,
 * and every watched task again every second, so that nothing announced before it was watched is missed. A task is
 * seen when the batch that found it arrived ({@link System#nanoTime()}), within milliseconds of its commit. When
 * PostgreSQL goes away it connects again (every 500 ms until it can) and reads every watched task once more: a watch
 * ends only with its task's status, or its caller's timeout.
 */
public final class TaskWatcher implements AutoCloseable {

    private static final Duration SWEEP = Duration.ofSeconds(1);
    private static final Duration RECONNECT = Duration.ofMillis(500);

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private volatile Connection listening;
    private volatile Connection reading;
    private final Map<UUID, Watch> watched = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<UUID> fresh = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    TaskWatcher(String jdbcUrl, String username, String password) throws SQLException {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        connect();
        thread = Thread.ofPlatform().daemon().name("task-watcher").start(this::run);
    }

    /** Completes with when the task was seen in {@code status} (or any other end, which fails it). */
    public CompletableFuture<Seen> watch(UUID id, String status) {
        Watch watch = new Watch(status, new CompletableFuture<>());
        Watch existing = watched.putIfAbsent(id, watch);
        if (existing != null) {
            return existing.seen;
        }
        fresh.add(id);
        return watch.seen;
    }

    /** Waits until the task is in {@code status}; fails when it ends otherwise or the timeout passes. */
    public Seen await(UUID id, String status, Duration timeout) {
        try {
            return watch(id, status).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            watched.remove(id);
            throw new IllegalStateException("Task " + id + " did not become " + status + " within " + timeout);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void connect() throws SQLException {
        Connection listen = DriverManager.getConnection(jdbcUrl, username, password);
        try (Statement statement = listen.createStatement()) {
            statement.execute("LISTEN task_events");
            reading = DriverManager.getConnection(jdbcUrl, username, password);
        } catch (SQLException e) {
            closeQuietly(listen);
            throw e;
        }
        listening = listen;
    }

    private void reconnect() {
        closeQuietly(listening);
        closeQuietly(reading);
        while (running) {
            sleep(RECONNECT.toMillis());
            try {
                connect();
                fresh.addAll(watched.keySet());
                return;
            } catch (SQLException stillDown) {
                // Again after the next pause.
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Gone already.
        }
    }

    private void run() {
        long nextSweep = System.nanoTime() + SWEEP.toNanos();
        while (running) {
            try {
                PGNotification[] notifications = listening.unwrap(PGConnection.class).getNotifications(20);
                long at = System.nanoTime();
                Set<UUID> check = new HashSet<>();
                for (UUID id = fresh.poll(); id != null; id = fresh.poll()) {
                    check.add(id);
                }
                if (notifications != null) {
                    for (PGNotification notification : notifications) {
                        UUID id = taskId(notification.getParameter());
                        if (id != null && watched.containsKey(id)) {
                            check.add(id);
                        }
                    }
                }
                if (at >= nextSweep) {
                    check.addAll(watched.keySet());
                    nextSweep = at + SWEEP.toNanos();
                }
                if (!check.isEmpty()) {
                    read(check, at);
                }
            } catch (SQLException e) {
                if (running) {
                    reconnect();
                }
            }
        }
    }

    private void read(Collection<UUID> ids, long at) throws SQLException {
        List<UUID> list = new ArrayList<>(ids);
        try (PreparedStatement query = reading.prepareStatement(
                "SELECT id, status, finished_at FROM tasks WHERE id = ANY(?)")) {
            Array array = reading.createArrayOf("uuid", list.toArray());
            query.setArray(1, array);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject(1, UUID.class);
                    String status = rows.getString(2);
                    Watch watch = watched.get(id);
                    if (watch == null) {
                        continue;
                    }
                    if (status.equals(watch.status)) {
                        watched.remove(id);
                        watch.seen.complete(new Seen(id, status, at));
                    } else if (isEnd(status)) {
                        watched.remove(id);
                        watch.seen.completeExceptionally(new EndedOtherwise(id, status, watch.status));
                    }
                }
            }
        }
    }

    private static boolean isEnd(String status) {
        return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
    }

    /** The task id in a notification's {@code {"taskId": "...", "seq": n}}. */
    static UUID taskId(String payload) {
        int key = payload.indexOf("\"taskId\"");
        if (key < 0) {
            return null;
        }
        int start = payload.indexOf('"', payload.indexOf(':', key) + 1) + 1;
        int end = payload.indexOf('"', start);
        try {
            return UUID.fromString(payload.substring(start, end));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The read model's connection for other queries (counts, pg_stat_activity); used only from one thread at once. */
    public synchronized <T> T query(SqlFunction<T> function) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, username, password)) {
            return function.apply(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(listening);
        closeQuietly(reading);
    }

    /** A watched task reached an end other than the status watched for. */
    public static final class EndedOtherwise extends IllegalStateException {
        EndedOtherwise(UUID id, String status, String watchedFor) {
            super("Task " + id + " ended " + status + ", not " + watchedFor);
        }
    }

    /** Stops watching {@code id}: its watch never completes. */
    public void forget(UUID id) {
        watched.remove(id);
    }

    /** A task seen in {@code status} at {@code atNanos} ({@link System#nanoTime()}). */
    public record Seen(UUID id, String status, long atNanos) {
    }

    @FunctionalInterface
    public interface SqlFunction<T> {
        T apply(Connection connection) throws SQLException;
    }

    private record Watch(String status, CompletableFuture<Seen> seen) {
    }
}
