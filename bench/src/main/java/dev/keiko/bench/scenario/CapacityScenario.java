package dev.keiko.bench.scenario;

import dev.keiko.bench.fakes.ModelFake;
import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.Report;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.report.Target;
import dev.keiko.bench.system.BenchProcess;
import dev.keiko.bench.system.BenchSystem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * One worker with a 512 MB heap holding 2,000 agent tasks whose model call the model fake holds: heap, threads and
 * database connections while they wait, whether all were at the model at once, then how many complete once released.
 */
final class CapacityScenario implements Scenario {

    /** Released before the first held model call reaches its 2 minute start-to-close timeout. */
    private static final Duration HOLD_AT_MOST = Duration.ofSeconds(100);

    @Override
    public String name() {
        return "capacity";
    }

    @Override
    public String measures() {
        return "Capacity: one worker (-Xmx512m) holding 2,000 agent tasks whose model call waits on a model that"
                + " answers only when released; its heap (Prometheus `jvm_memory_used_bytes`, and after a full GC),"
                + " live threads, process RSS and PostgreSQL connections while they wait, whether all 2,000 calls"
                + " were at the model at once, and how many tasks complete after the release.";
    }

    @Override
    public ScenarioResult run(BenchSystem system) {
        ScenarioOptions options = ScenarioOptions.current();
        int n = options.count("capacity.n", 2000, 100);
        int slots = options.integer("capacity.slots", n);
        String heap = options.text("capacity.heap", "-Xmx512m");
        int pingMillis = options.integer("capacity.ping-ms", 1000);
        system.model().latency(Duration.ZERO).script(ModelFake.AgentScript.answerOnly("Done."))
                .holdPing(Duration.ofMillis(pingMillis));

        BenchProcess worker = system.startWorker(AgentTasks.worker("worker-capacity", false,
                Map.of("keiko.worker.activity-task-slots", Integer.toString(slots))).withHeap(heap));
        // One task first, answered: the worker has opened its model client and loaded its classes.
        UUID warm = BenchSystem.taskId(AgentTasks.submit(system, AgentTasks.marker(), 2, 600));
        system.awaitStatus(warm, "completed", Duration.ofSeconds(120));
        Sample idle = sample(system, worker);
        system.model().reset();
        system.model().holdRequests();

        BenchSystem.say("capacity: submitting " + n + " agent tasks");
        ConcurrentLinkedQueue<UUID> ids = new ConcurrentLinkedQueue<>();
        long submitStarted = System.nanoTime();
        Load.Result submitted = Load.run(n, 50, i -> {
            ids.add(BenchSystem.taskId(AgentTasks.submit(system, AgentTasks.marker(), 2, 600)));
            return true;
        });
        double submitSeconds = (System.nanoTime() - submitStarted) / 1e9;
        BenchSystem.say("capacity: submitted " + ids.size() + " in " + Math.round(submitSeconds) + " s; errors "
                + submitted.errors());

        // Wait until every call is at the model, or until the first held call (made soon after the first
        // submission) nears its timeout.
        long deadline = submitStarted + HOLD_AT_MOST.toNanos();
        long allAtModelAfter = -1;
        List<Sample> samples = new ArrayList<>();
        long lastSample = 0;
        while (System.nanoTime() < deadline) {
            long held = system.model().requests() - system.model().answered();
            if (System.nanoTime() - lastSample > TimeUnit.SECONDS.toNanos(5)) {
                Sample sample = sample(system, worker);
                samples.add(sample);
                lastSample = System.nanoTime();
                BenchSystem.say("capacity: " + sample);
            }
            if (held >= ids.size()) {
                allAtModelAfter = System.nanoTime() - submitStarted;
                break;
            }
            sleep(200);
        }
        sleep(3000);
        Sample plateau = sample(system, worker);
        samples.add(plateau);
        String threadGroups = threadGroups(worker);
        double liveHeapMb = heapAfterFullGc(worker);
        Sample afterGc = sample(system, worker);
        samples.add(afterGc);
        long heldAtOnce = samples.stream().mapToLong(Sample::heldAtModel).max().orElse(0);
        BenchSystem.say("capacity: " + heldAtOnce + " at the model; after a full GC " + Math.round(liveHeapMb)
                + " MB live; " + afterGc);

        long released = System.nanoTime();
        system.model().release();
        List<CompletableFuture<dev.keiko.bench.system.TaskWatcher.Seen>> done = new ArrayList<>();
        for (UUID id : ids) {
            done.add(system.watcher().watch(id, "completed"));
        }
        int completed = 0;
        int failed = 0;
        String firstFailure = null;
        long lastCompletion = released;
        for (CompletableFuture<dev.keiko.bench.system.TaskWatcher.Seen> future : done) {
            try {
                long left = Math.max(1, TimeUnit.SECONDS.toNanos(300) - (System.nanoTime() - released));
                dev.keiko.bench.system.TaskWatcher.Seen seen = future.get(left, TimeUnit.NANOSECONDS);
                completed++;
                lastCompletion = Math.max(lastCompletion, seen.atNanos());
            } catch (Exception e) {
                failed++;
                if (firstFailure == null) {
                    firstFailure = e.toString();
                }
            }
        }
        double drainSeconds = (lastCompletion - released) / 1e9;
        BenchSystem.say("capacity: " + completed + " completed in " + Math.round(drainSeconds) + " s after the"
                + " release; " + failed + " not");
        Sample after = sample(system, worker);
        boolean alive = worker.isAlive();
        String outOfMemory = worker.output().contains("OutOfMemoryError") ? "yes" : "no";
        system.stopWorker(worker);

        double peakHeap = samples.stream().mapToDouble(Sample::heapUsedMb).max().orElse(Double.NaN);
        double peakThreads = samples.stream().mapToDouble(Sample::liveThreads).max().orElse(Double.NaN);
        double peakRss = samples.stream().mapToDouble(Sample::rssMb).max().orElse(Double.NaN);
        double peakConnections = samples.stream().mapToDouble(Sample::dbConnections).max().orElse(Double.NaN);

        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("tasks submitted", ids.size(), "tasks"));
        figures.add(new Figure("submission errors", submitted.errors(), "requests"));
        figures.add(new Figure("submission time (concurrency 50)", submitSeconds, "s"));
        figures.add(new Figure("model calls held at once (peak of the samples, at the model fake)", heldAtOnce,
                "calls"));
        figures.add(new Figure("all calls at the model after (from the first submission)",
                allAtModelAfter < 0 ? Double.NaN : allAtModelAfter / 1e9, "s"));
        figures.add(new Figure("tasks running in the read model while held", plateau.running(), "tasks"));
        figures.add(new Figure("worker heap used, idle (one task done)", idle.heapUsedMb(), "MB"));
        figures.add(new Figure("worker heap used, peak while held", peakHeap, "MB"));
        figures.add(new Figure("worker heap live after a full GC, while held", liveHeapMb, "MB"));
        figures.add(new Figure("worker heap max", plateau.heapMaxMb(), "MB"));
        figures.add(new Figure("worker live threads, idle", idle.liveThreads(), "threads"));
        figures.add(new Figure("worker live threads, peak while held", peakThreads, "threads"));
        figures.add(new Figure("worker RSS, idle", idle.rssMb(), "MB"));
        figures.add(new Figure("worker RSS, peak while held", peakRss, "MB"));
        figures.add(new Figure("PostgreSQL connections, idle", idle.dbConnections(), "connections"));
        figures.add(new Figure("PostgreSQL connections, peak while held", peakConnections, "connections"));
        figures.add(new Figure("tasks completed after the release", completed, "tasks"));
        figures.add(new Figure("tasks not completed within 300 s of the release", failed, "tasks"));
        figures.add(new Figure("release to last completion", drainSeconds, "s"));
        figures.add(new Figure("worker heap used after the drain", after.heapUsedMb(), "MB"));

        boolean allAtOnce = heldAtOnce >= n;
        List<Target> targets = new ArrayList<>();
        targets.add(Target.atLeast("agent tasks held at the model at once by one worker (-Xmx512m)", n, heldAtOnce,
                "tasks", "only " + heldAtOnce + " of " + n + " model calls were at the model at once "
                        + (allAtModelAfter < 0 ? "within " + HOLD_AT_MOST.toSeconds() + " s of the first submission"
                                + " (the first held calls would then reach their 2 minute timeout)" : "")
                        + "; submissions took " + Report.number(submitSeconds) + " s; worker alive: " + alive
                        + ", OutOfMemoryError in its log: " + outOfMemory + "."));
        targets.add(Target.atMost("worker heap live after a full GC while " + heldAtOnce + " calls are held",
                512, liveHeapMb, "MB", "the live heap exceeds the 512 MB the issue allows"));
        targets.add(Target.atLeast("tasks completed after the release", n, completed, "tasks",
                failed + " did not complete within 300 s; first: " + firstFailure));

        List<String> notes = new ArrayList<>();
        notes.add(n + " agent tasks (each one model call, answered with text once released) submitted at"
                + " concurrency 50; the model fake holds every request until the release, sending an SSE comment"
                + " every " + pingMillis + " ms. The release comes once every call is at the model, or "
                + HOLD_AT_MOST.toSeconds() + " s after the first submission, whichever is first (model calls time"
                + " out after 2 minutes). All " + n + " at once: " + allAtOnce + ".");
        notes.add("One worker without sticky queues, heap " + heap + ", its activity slots raised to " + slots
                + " (`keiko.worker.activity-task-slots`, default 100): with the default only 100 model calls run"
                + " at once and the rest wait in Temporal's activity queue, not in the worker.");
        notes.add("Heap and threads from the worker's `/actuator/prometheus` (`jvm_memory_used_bytes{area=\"heap\"}`"
                + " summed over pools, `jvm_threads_live_threads`, which counts platform threads only), the live"
                + " heap after `jcmd <pid> GC.run`, RSS from /proc, connections from `pg_stat_activity` (every"
                + " client backend: API, worker and the bench's own " + BENCH_CONNECTIONS + ").");
        notes.add("The worker's platform threads while held, by name with digits dropped (`jcmd <pid> Thread.print`,"
                + " which lists no virtual threads), the most common first: " + threadGroups);
        notes.add("Samples while held: " + samples);
        return new ScenarioResult(name(), measures(), figures, targets, notes);
    }

    /** The bench's own connections: the task watcher's two and the one a query opens. */
    private static final int BENCH_CONNECTIONS = 3;

    record Sample(double heapUsedMb, double heapMaxMb, double liveThreads, double rssMb, double dbConnections,
            double running, long heldAtModel) {

        @Override
        public String toString() {
            return "heap " + Math.round(heapUsedMb) + " MB, threads " + Math.round(liveThreads) + ", RSS "
                    + Math.round(rssMb) + " MB, db connections " + Math.round(dbConnections) + ", running "
                    + Math.round(running) + ", at the model " + heldAtModel;
        }
    }

    private static Sample sample(BenchSystem system, BenchProcess worker) {
        Map<String, Double> metrics = prometheus(worker);
        double heapUsed = metrics.getOrDefault("heap_used", Double.NaN) / (1024 * 1024);
        double heapMax = metrics.getOrDefault("heap_max", Double.NaN) / (1024 * 1024);
        double threads = metrics.getOrDefault("threads", Double.NaN);
        long[] counts = system.watcher().query(connection -> {
            try (Statement statement = connection.createStatement()) {
                long connections;
                try (ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")) {
                    rows.next();
                    connections = rows.getLong(1);
                }
                long running;
                try (ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM tasks WHERE status = 'running'")) {
                    rows.next();
                    running = rows.getLong(1);
                }
                return new long[] {connections, running};
            }
        });
        return new Sample(heapUsed, heapMax, threads, rssMb(worker.pid()), counts[0], counts[1],
                system.model().requests() - system.model().answered());
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Sums of the worker's heap pools' used and max bytes, and its live threads. */
    private static Map<String, Double> prometheus(BenchProcess worker) {
        Map<String, Double> values = new LinkedHashMap<>();
        try {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port()
                    + "/actuator/prometheus")).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                if (line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                if (space < 0) {
                    continue;
                }
                double value;
                try {
                    value = Double.parseDouble(line.substring(space + 1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    values.merge("heap_used", value, Double::sum);
                } else if (line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\"")
                        && value > 0) {
                    values.merge("heap_max", value, Double::sum);
                } else if (line.startsWith("jvm_threads_live_threads")) {
                    values.put("threads", value);
                }
            }
        } catch (IOException e) {
            BenchSystem.say("capacity: no metrics from the worker: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return values;
    }

    /** Runs a full GC in the worker with jcmd, then reads its heap use (MB); NaN when jcmd is not there. */
    private static double heapAfterFullGc(BenchProcess worker) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return Double.NaN;
        }
        try {
            Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(worker.pid()), "GC.run")
                    .redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            gc.waitFor(60, TimeUnit.SECONDS);
            Process info = new ProcessBuilder(jcmd.toString(), Long.toString(worker.pid()), "GC.heap_info")
                    .redirectErrorStream(true).start();
            String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            info.waitFor(60, TimeUnit.SECONDS);
            // G1: " garbage-first heap   total reserved 524288K, committed 131072K, used 61234K [...]"
            java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(text);
            return used.find() ? Long.parseLong(used.group(1)) / 1024.0 : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** The worker's platform threads counted by name with digits dropped, the 8 most common. */
    private static String threadGroups(BenchProcess worker) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(worker.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dump.waitFor(60, TimeUnit.SECONDS);
            Map<String, Integer> counts = new java.util.HashMap<>();
            java.util.regex.Matcher thread = java.util.regex.Pattern.compile("(?m)^\"([^\"]*)\"").matcher(text);
            while (thread.find()) {
                counts.merge(thread.group(1).replaceAll("[0-9]+", "#"), 1, Integer::sum);
            }
            return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(8).map(e -> e.getKey() + " " + e.getValue()).toList().toString();
        } catch (IOException e) {
            return "unknown (" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
