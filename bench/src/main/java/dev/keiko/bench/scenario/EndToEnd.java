package dev.keiko.bench.scenario;

import dev.keiko.bench.report.Latencies;
import dev.keiko.bench.system.Api;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.bench.system.TaskWatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntToLongFunction;

/**
 * Submits tool tasks on the tool fake's {@code hold} through the API at a given concurrency and waits until the read
 * model shows every one completed (seen from PostgreSQL, not by asking the API): tasks completed per second from the
 * first submission sent to the last completion seen.
 */
final class EndToEnd {

    private EndToEnd() {
    }

    /**
     * @param completed tasks seen completed
     * @param notCompleted tasks refused, failed, cancelled, or not completed within the wait
     * @param windowNanos from the first submission sent to the last completion seen
     * @param submitNanos from the first submission sent to the last one answered
     * @param steadyPerSecond completions per second between the 10th and the 90th percentile of completion times
     * @param endToEnd each completed task's submission-to-completion time
     * @param cpuMillis CPU time each process used during the run
     * @param toolListTimeouts tool-list lookups that failed during the run
     * @param firstFailure what went wrong first, or null
     */
    record Result(int n, int completed, int notCompleted, long windowNanos, long submitNanos, double steadyPerSecond,
            Latencies endToEnd, Map<String, Long> cpuMillis, long toolListTimeouts, String firstFailure) {

        double perSecond() {
            return completed / (windowNanos / 1e9);
        }

        double submittedPerSecond() {
            return n / (submitNanos / 1e9);
        }

        /** CPU milliseconds per completed task of the processes whose names start with {@code prefix}. */
        double cpuPerTask(String prefix) {
            long sum = cpuMillis.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .mapToLong(Map.Entry::getValue).sum();
            return sum / (double) Math.max(1, completed);
        }
    }

    static Result run(BenchSystem system, String label, int n, int concurrency, IntToLongFunction holdMillis,
            Duration wait) {
        Map<String, Long> cpuBefore = system.cpuMillis();
        long lookupTimeoutsBefore = system.toolListTimeouts();
        List<Submitted> watches = java.util.Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        Load.Result submitted = Load.run(n, concurrency, i -> {
            long sent = System.nanoTime();
            Api.Response response = system.submitHold(label + "-" + i, holdMillis.applyAsLong(i));
            if (response.status() != 202) {
                throw new IllegalStateException("POST /api/v1/tasks answered " + response.status() + ": "
                        + response.body());
            }
            watches.add(new Submitted(sent, system.watcher().watch(BenchSystem.taskId(response), "completed")));
            return true;
        });
        long submitNanos = System.nanoTime() - started;
        long deadline = System.nanoTime() + wait.toNanos();
        List<Long> completedAt = new ArrayList<>();
        Latencies endToEnd = new Latencies();
        int failed = submitted.errors();
        String firstFailure = submitted.firstError();
        for (Submitted watch : List.copyOf(watches)) {
            try {
                TaskWatcher.Seen seen = watch.seen().get(Math.max(1, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                endToEnd.record(seen.atNanos() - watch.sentAtNanos());
                completedAt.add(seen.atNanos());
            } catch (TimeoutException | ExecutionException e) {
                failed++;
                if (firstFailure == null) {
                    firstFailure = e instanceof TimeoutException ? "not completed within " + wait
                            : e.getCause().getMessage();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        Map<String, Long> cpuAfter = system.cpuMillis();
        Map<String, Long> cpu = new LinkedHashMap<>();
        cpuAfter.forEach((name, after) -> {
            Long before = cpuBefore.get(name);
            if (after >= 0) {
                cpu.put(name, after - (before == null || before < 0 ? 0 : before));
            }
        });
        completedAt.sort(null);
        long window = completedAt.isEmpty() ? System.nanoTime() - started
                : completedAt.get(completedAt.size() - 1) - started;
        double steady = Double.NaN;
        if (completedAt.size() >= 20) {
            int from = completedAt.size() / 10;
            int to = completedAt.size() * 9 / 10;
            steady = (to - from) / ((completedAt.get(to) - completedAt.get(from)) / 1e9);
        }
        return new Result(n, completedAt.size(), failed, window, submitNanos, steady, endToEnd, cpu,
                system.toolListTimeouts() - lookupTimeoutsBefore, firstFailure);
    }

    private record Submitted(long sentAtNanos, CompletableFuture<TaskWatcher.Seen> seen) {
    }
}
