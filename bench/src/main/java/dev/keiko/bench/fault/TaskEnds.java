package dev.keiko.bench.fault;

import dev.keiko.bench.system.BenchSystem;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads how tasks ended from PostgreSQL's read model, asking every half second until each has ended or the time is
 * up; a query that fails (the database is down) is asked again.
 */
final class TaskEnds {

    private static final Set<String> ENDS = Set.of("completed", "failed", "cancelled");
    private static final Duration POLL = Duration.ofMillis(500);

    private TaskEnds() {
    }

    /** A task's row: its status, and the {@code errorType} of its result (null when none). */
    record Row(String status, String errorType) {

        boolean ended() {
            return ENDS.contains(status);
        }
    }

    /** The rows of {@code ids} once all have ended, or as they are when {@code timeout} passes (absent: no row). */
    static Map<UUID, Row> await(BenchSystem system, Collection<UUID> ids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<UUID, Row> rows = Map.of();
        while (true) {
            try {
                rows = read(system, ids);
            } catch (IllegalStateException databaseDown) {
                // Asked again at the next poll.
            }
            boolean allEnded = rows.size() == ids.size() && rows.values().stream().allMatch(Row::ended);
            if (allEnded || System.nanoTime() > deadline) {
                return rows;
            }
            sleep(POLL);
        }
    }

    static Map<UUID, Row> read(BenchSystem system, Collection<UUID> ids) {
        return system.watcher().query(connection -> {
            Map<UUID, Row> rows = new HashMap<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT id, status, result->>'errorType' FROM tasks WHERE id = ANY(?)")) {
                Array array = connection.createArrayOf("uuid", ids.toArray());
                query.setArray(1, array);
                try (ResultSet found = query.executeQuery()) {
                    while (found.next()) {
                        rows.put(found.getObject(1, UUID.class), new Row(found.getString(2), found.getString(3)));
                    }
                }
            }
            return rows;
        });
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
