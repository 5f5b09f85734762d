package dev.keiko.bench.fault;

import dev.keiko.bench.fakes.ToolFake;
import dev.keiko.bench.system.Api;
import dev.keiko.bench.system.BenchProcess;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.bench.system.TaskWatcher;
import dev.keiko.bench.system.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the fault scenarios share: tool task bodies, workers, rows read from PostgreSQL. */
final class Faults {

    private Faults() {
    }

    /** The body of a tool task calling the tool fake's {@code hold} for {@code millis}, labelled {@code label}. */
    static Map<String, Object> holdTask(String label, long millis) {
        return Map.of("type", "tool", "parameters", Map.of("server", BenchSystem.TOOL_SERVER, "tool", ToolFake.HOLD,
                "arguments", Map.of("label", label, "millis", millis)));
    }

    /** Submits a hold task to {@code api} with an Idempotency-Key. */
    static Api.Response submitHold(BenchSystem system, Api api, String label, long millis, String key) {
        return api.post("/api/v1/tasks", system.adminToken(), holdTask(label, millis), Map.of("Idempotency-Key", key));
    }

    /** A live worker of the system, started (without sticky queues) when none runs: scenarios run in a row share it. */
    static BenchProcess aWorker(BenchSystem system, String name) {
        return system.workers().stream().filter(BenchProcess::isAlive).findFirst()
                .orElseGet(() -> system.startWorker(WorkerOptions.named(name)));
    }

    /** Starts workers at once and waits until every one is ready. */
    static List<BenchProcess> startWorkers(BenchSystem system, List<WorkerOptions> workers) {
        List<BenchProcess> launched = workers.stream().map(system::launchWorker).toList();
        launched.forEach(system::awaitReady);
        return launched;
    }

    /** Rows of tasks whose hold label starts with {@code prefix}: id, status, workflow id, idempotency key. */
    static List<Row> rows(BenchSystem system, String prefix) {
        return rows(system, "LIKE", prefix.replace("_", "\\_").replace("%", "\\%") + "%");
    }

    /** Rows of tasks whose hold label is {@code label}. */
    static List<Row> rowsLabelled(BenchSystem system, String label) {
        return rows(system, "=", label);
    }

    private static List<Row> rows(BenchSystem system, String comparison, String label) {
        return system.watcher().query(connection -> {
            try (var query = connection.prepareStatement("SELECT id, status, workflow_id, idempotency_key,"
                    + " parameters->'arguments'->>'label' FROM tasks"
                    + " WHERE parameters->'arguments'->>'label' " + comparison + " ? ORDER BY created_at")) {
                query.setString(1, label);
                try (var rows = query.executeQuery()) {
                    List<Row> found = new java.util.ArrayList<>();
                    while (rows.next()) {
                        found.add(new Row(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                                rows.getString(4), rows.getString(5)));
                    }
                    return found;
                }
            }
        });
    }

    /** A task's outcome as its row holds it ({@code result}, the error of a failed task), or "" when it has none. */
    static String outcome(BenchSystem system, UUID id) {
        return system.watcher().query(connection -> {
            try (var query = connection.prepareStatement("SELECT status, result::text FROM tasks WHERE id = ?")) {
                query.setObject(1, id);
                try (var rows = query.executeQuery()) {
                    return rows.next() ? rows.getString(1) + " " + rows.getString(2) : "";
                }
            }
        });
    }

    /** The failure's text, with the task's outcome when the failure names a task that ended otherwise. */
    static String failure(BenchSystem system, Throwable failure) {
        String text = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        java.util.regex.Matcher task = java.util.regex.Pattern.compile("Task ([0-9a-f-]{36}) ended").matcher(text);
        return task.find() ? text + ": " + outcome(system, UUID.fromString(task.group(1))) : text;
    }

    /**
     * Waits, until one deadline {@code timeout} away, for each watch of a task becoming {@code completed}, counting
     * each task once: completed, ended otherwise (the watch failed), or lost (not ended by the deadline). The first
     * five that did not complete are described in {@code failures}.
     */
    static FaultCounts.Tally awaitCompleted(BenchSystem system, List<CompletableFuture<?>> watches, Duration timeout,
            List<String> failures) {
        FaultCounts.Tally tally = new FaultCounts.Tally();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CompletableFuture<?> watch : List.copyOf(watches)) {
            try {
                watch.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                tally.completed();
            } catch (ExecutionException e) {
                // The watcher ends a watch only with its task's end; anything else is not an outcome of the task.
                if (e.getCause() instanceof TaskWatcher.EndedOtherwise) {
                    tally.endedOtherwise();
                } else {
                    tally.lost();
                }
                describe(failures, failure(system, e.getCause()));
            } catch (TimeoutException e) {
                tally.lost();
                describe(failures, "not completed within " + timeout.toSeconds() + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return tally;
    }

    private static void describe(List<String> failures, String failure) {
        if (failures.size() < 5) {
            failures.add(failure);
        }
    }

    /** A task's row. */
    record Row(UUID id, String status, String workflowId, String idempotencyKey, String label) {
    }
}
