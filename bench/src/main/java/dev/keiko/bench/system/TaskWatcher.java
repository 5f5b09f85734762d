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
 * seen when the batch that found it arrived ({@link System#nanoTime()}), within milliseconds of its commit.
 */
public final class TaskWatcher implements AutoCloseable {

    private static final Duration SWEEP = Duration.ofSeconds(1);

    private final Connection listening;
    private final Connection reading;
    private final Map<UUID, Watch> watched = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<UUID> fresh = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    TaskWatcher(String jdbcUrl, String username, String password) throws SQLException {
        listening = DriverManager.getConnection(jdbcUrl, username, password);
        reading = DriverManager.getConnection(jdbcUrl, username, password);
        try (Statement listen = listening.createStatement()) {
            listen.execute("LISTEN task_events");
        }
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

    private void run() {
        long nextSweep = System.nanoTime() + SWEEP.toNanos();
        PGConnection pg;
        try {
            pg = listening.unwrap(PGConnection.class);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        while (running) {
            try {
                PGNotification[] notifications = pg.getNotifications(20);
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
                    watched.values().forEach(w -> w.seen.completeExceptionally(e));
                    watched.clear();
                    sleep(100);
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
                        watch.seen.completeExceptionally(new IllegalStateException(
                                "Task " + id + " ended " + status + ", not " + watch.status));
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
        try (Connection connection = DriverManager.getConnection(reading.getMetaData().getURL(),
                reading.getMetaData().getUserName(), BenchSystem.PG_PASSWORD)) {
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
        try {
            listening.close();
            reading.close();
        } catch (SQLException ignored) {
            // Closing anyway.
        }
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
