package dev.keiko.bench.fault;

import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.report.Target;
import dev.keiko.bench.scenario.Scenario;
import dev.keiko.bench.scenario.ScenarioOptions;
import dev.keiko.bench.system.Api;
import dev.keiko.bench.system.BenchOptions;
import dev.keiko.bench.system.BenchProcess;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.embedded.TcpProxy;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An API killed between writing tasks' rows and starting their workflows. The window is made real without touching
 * Keiko: a second API reaches Temporal through a TCP proxy that is cut, so its submissions store rows whose starts
 * fail; it is killed with {@code kill -9}, and a new API with a direct link and a short repair interval starts them
 * ({@code TaskRepair}). Each client then submits again with its Idempotency-Key and must get its task back; each task
 * runs once: one row, one workflow, one tool call.
 */
public final class ApiKilledBeforeStartScenario implements Scenario {

    /** The system's own API repairs only at its start, so that the new API is the one that starts the rows. */
    public static final Map<String, String> MAIN_API = Map.of("keiko.tasks.start-repair-interval", "1h");
    private static final Map<String, String> SHORT_REPAIR = Map.of("keiko.tasks.start-repair-interval", "1s",
            "keiko.tasks.start-repair-after", "2s");
    private static final String PREFIX = "fault-api-";

    private FaultCounts counts;

    @Override
    public String name() {
        return "api-killed-before-start";
    }

    @Override
    public String measures() {
        return "Tool tasks submitted to an API whose link to Temporal is cut (rows stored, starts failing), that API"
                + " killed with kill -9, a new API started with the link restored and a 1 s repair interval: every"
                + " task runs once (one row, one workflow, one tool call) and each client's retry with its"
                + " Idempotency-Key gets its task back.";
    }

    public FaultCounts counts() {
        return counts;
    }

    @Override
    public ScenarioResult runAlone(BenchOptions options) {
        try (BenchSystem system = BenchSystem.start(options.withApiProperties(MAIN_API))) {
            return run(system);
        }
    }

    @Override
    public ScenarioResult run(BenchSystem system) {
        int n = ScenarioOptions.current().count(name() + ".n", 100, 10);
        Faults.aWorker(system, "worker-api-killed");
        system.warmToolCatalog();
        String run = PREFIX + UUID.randomUUID().toString().substring(0, 8) + "-";
        Injections injections = new Injections();
        List<String> notes = new ArrayList<>();
        Map<Integer, Api.Response> firstAnswers = new ConcurrentHashMap<>();
        long rowsWritten;
        long answeredBeforeKill;
        try (TcpProxy link = TcpProxy.to("127.0.0.1", system.temporal().port())) {
            BenchProcess doomed = system.startApi("api-cut", BenchSystem.freePort(),
                    Map.of("spring.temporal.connection.target", link.target(), "keiko.tasks.start-repair-interval",
                            "1h"));
            system.awaitReady(doomed);
            Api doomedApi = new Api("http://127.0.0.1:" + doomed.port());
            warmToolList(system, doomedApi);
            link.cut();
            injections.at("cut api-cut's link to Temporal (pid " + doomed.pid() + ")");
            AtomicLong sent = new AtomicLong();
            for (int i = 0; i < n; i++) {
                int index = i;
                Thread.ofVirtual().start(() -> {
                    sent.incrementAndGet();
                    try {
                        firstAnswers.put(index, Faults.submitHold(system, doomedApi, run + index, 100, key(run, index)));
                    } catch (RuntimeException e) {
                        firstAnswers.put(index, new Api.Response(-1, e.toString(), 0));
                    }
                });
            }
            injections.at("sent " + n + " submissions to api-cut");
            rowsWritten = awaitRows(system, run, n, Duration.ofSeconds(60));
            answeredBeforeKill = firstAnswers.size();
            injections.at(rowsWritten + " rows written, " + firstAnswers.size() + " submissions answered ("
                    + answers(firstAnswers) + "); kill -9 api-cut");
            doomed.kill9();
        }
        long pendingAtKill = Faults.rows(system, run).stream().filter(r -> r.status().equals("pending")).count();
        BenchProcess restarted = system.startApi("api-restarted", BenchSystem.freePort(), SHORT_REPAIR);
        Duration ready = system.awaitReady(restarted);
        injections.at("api-restarted ready (direct link, repair every 1 s for rows older than 2 s) after "
                + ready.toMillis() + " ms");
        Api restartedApi = new Api("http://127.0.0.1:" + restarted.port());
        List<Faults.Row> rows = Faults.rows(system, run);
        long retriesSameTask = 0;
        Set<UUID> acceptedIds = new LinkedHashSet<>();
        List<String> odd = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Api.Response retry = Faults.submitHold(system, restartedApi, run + i, 100, key(run, i));
            String label = run + i;
            String rowId = rows.stream().filter(r -> r.label().equals(label)).map(r -> r.id().toString())
                    .findFirst().orElse("none");
            if (retry.status() == 202) {
                acceptedIds.add(BenchSystem.taskId(retry));
            }
            if (retry.status() == 202 && retry.json().path("id").asString().equals(rowId)) {
                retriesSameTask++;
            } else if (odd.size() < 5) {
                odd.add(label + ": row " + rowId + ", retry answered " + retry.status() + " " + retry.body());
            }
        }
        injections.at("every client submitted again to api-restarted with its Idempotency-Key");
        firstAnswers.values().stream().filter(answer -> answer.status() == 202).map(BenchSystem::taskId)
                .forEach(acceptedIds::add);
        List<CompletableFuture<?>> watches = acceptedIds.stream()
                .<CompletableFuture<?>>map(id -> system.watcher().watch(id, "completed")).toList();
        FaultCounts.Tally tally = Faults.awaitCompleted(system, watches, Duration.ofSeconds(90), odd);
        rows = Faults.rows(system, run);
        long workflowsCompleted = 0;
        for (Faults.Row row : rows) {
            workflowsCompleted += SharedIdempotencyKeyScenario.status(system, row.workflowId())
                    == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED ? 1 : 0;
        }
        injections.at(tally.completedSoFar() + " of " + acceptedIds.size() + " tasks accepted completed");
        ToolCalls calls = new ToolCalls();
        calls.add(system.tool().stats());
        long toolCalls = 0;
        long withoutCall = 0;
        for (int i = 0; i < n; i++) {
            toolCalls += calls.starts(run + i);
            withoutCall += calls.starts(run + i) == 0 ? 1 : 0;
        }
        long repairedStarts = countIn(restarted.output(), "was pending without a workflow; starting it");
        long duplicated = Math.max(0, rows.size() - n) + calls.duplicated(run);
        counts = tally.counts(acceptedIds.size(), duplicated, true);
        notes.add(injections.note());
        notes.add("submitted counts the tasks named by a 202, from api-cut or from a client's retry with its key to"
                + " api-restarted (a client that got no answer submits again with its key); " + pendingAtKill + " rows were pending when api-cut was killed. TaskRepair's"
                + " defaults are a pass every 30 s (keiko.tasks.start-repair-interval) over rows pending for 30 s"
                + " (keiko.tasks.start-repair-after); the new API ran with 1 s and 2 s, the system's own API with"
                + " one pass at its start only.");
        notes.add("api-restarted logged \"pending without a workflow; starting it\" " + repairedStarts + " times.");
        if (!odd.isEmpty()) {
            notes.add("Odd (first 5): " + String.join("; ", odd));
        }
        return FaultResults.of(name(), measures(), counts, List.of(
                new Figure("rows written before the kill", rowsWritten, "rows"),
                new Figure("rows pending at the kill", pendingAtKill, "rows"),
                new Figure("answered by api-cut before the kill", answeredBeforeKill, "requests"),
                new Figure("started by api-restarted's repair", repairedStarts, "tasks"),
                new Figure("retries answered 202 with the same task", retriesSameTask, "requests"),
                new Figure("task rows", rows.size(), "rows"),
                new Figure("workflows completed", workflowsCompleted, "workflows"),
                new Figure("tool calls", toolCalls, "calls"),
                new Figure("new API ready after", ready.toMillis(), "ms")),
                List.of(Target.atLeast("retries answered 202 with the same task", n, retriesSameTask, "requests",
                                "see the notes"),
                        Target.atMost("tasks without a tool call", 0, withoutCall, "tasks", "see the notes")),
                notes);
    }

    private static String key(String run, int index) {
        return run + "key-" + index;
    }

    private static String answers(Map<Integer, Api.Response> answers) {
        Map<Integer, Long> byStatus = new java.util.TreeMap<>();
        answers.values().forEach(r -> byStatus.merge(r.status(), 1L, Long::sum));
        return byStatus.isEmpty() ? "none" : byStatus.toString().replace("=", ": ").replace("-1", "no answer");
    }

    private static long awaitRows(BenchSystem system, String run, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long rows = 0;
        while (System.nanoTime() < deadline) {
            rows = Faults.rows(system, run).size();
            if (rows >= n) {
                return rows;
            }
            TaskEnds.sleep(Duration.ofMillis(50));
        }
        return rows;
    }

    /** Asks {@code api} for the tool fake's tools until it answers from its cache, as the system's API was warmed. */
    private static void warmToolList(BenchSystem system, Api api) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Api.Response tools = api.get("/api/v1/mcp/servers/" + BenchSystem.TOOL_SERVER + "/tools",
                    system.adminToken());
            if (tools.status() == 200 && tools.nanos() < Duration.ofSeconds(1).toNanos()) {
                return;
            }
            TaskEnds.sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("api-cut could not list the tool fake's tools");
    }

    private static long countIn(String text, String what) {
        long count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            count++;
        }
        return count;
    }
}
