package dev.keiko.bench.fault;

import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.report.Target;
import dev.keiko.bench.scenario.Scenario;
import dev.keiko.bench.scenario.ScenarioOptions;
import dev.keiko.bench.system.Api;
import dev.keiko.bench.system.BenchSystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * The MCP server dies with calls in flight and comes back on its port a few seconds later: every task completes,
 * through Temporal's retries of the tool call; the calls cut and made again are counted at the tool.
 */
public final class ToolServerRestartScenario implements Scenario {

    private static final String PREFIX = "fault-tool-";
    private FaultCounts counts;

    @Override
    public String name() {
        return "tool-server-restart";
    }

    @Override
    public String measures() {
        return "Tool tasks holding the tool fake for 3 s; its process killed (kill -9) with calls in flight and started"
                + " again on the same port a few seconds later: every task completes, and the calls cut and made again"
                + " are counted at the tool.";
    }

    public FaultCounts counts() {
        return counts;
    }

    @Override
    public ScenarioResult run(BenchSystem system) {
        ScenarioOptions options = ScenarioOptions.current();
        int n = options.count(name() + ".n", 200, 20);
        long holdMillis = options.integer(name() + ".hold-ms", 3000);
        Duration down = Duration.ofMillis(options.integer(name() + ".down-ms", 3000));
        Faults.aWorker(system, "worker-tool-restart");
        system.warmToolCatalog();
        system.tool().reset();
        String run = PREFIX + UUID.randomUUID().toString().substring(0, 8) + "-";
        Injections injections = new Injections();
        List<CompletableFuture<?>> watches = new ArrayList<>();
        long accepted = 0;
        long refused = 0;
        for (Api.Response response : SharedIdempotencyKeyScenario.concurrently(n, new Submitter(system, run, holdMillis))) {
            if (response.status() == 202) {
                accepted++;
                watches.add(system.watcher().watch(BenchSystem.taskId(response), "completed"));
            } else {
                refused++;
            }
        }
        injections.at(accepted + " tasks accepted, " + refused + " refused");
        JsonNode before = awaitInFlight(system, (int) Math.max(1, accepted / 2), Duration.ofSeconds(30));
        int inFlight = before.path("atOnce").asInt();
        ToolCalls calls = new ToolCalls();
        calls.add(before);
        system.killTool();
        injections.at("kill -9 the tool fake with " + inFlight + " calls in flight");
        TaskEnds.sleep(down);
        system.restartTool();
        injections.at("tool fake started again on port " + system.tool().port());
        List<String> failures = new ArrayList<>();
        FaultCounts.Tally tally = Faults.awaitCompleted(system, watches, Duration.ofSeconds(120), failures);
        injections.at(tally.completedSoFar() + " of " + accepted + " tasks completed");
        calls.add(system.tool().stats());
        counts = tally.counts(accepted, calls.duplicated(run), false);
        List<String> notes = new ArrayList<>();
        notes.add(injections.note());
        notes.add("A call cut by the kill had started at the tool: its retry is a second start of the same call."
                + " The tool fake's counts read just before the kill and after the restart are added up (a call"
                + " started between that read and the kill is counted once).");
        if (!failures.isEmpty()) {
            notes.add("Not completed (first 5): " + String.join("; ", failures));
        }
        return FaultResults.of(name(), measures(), counts, List.of(
                new Figure("calls in flight at the kill", inFlight, "calls"),
                new Figure("tasks whose call started more than once", calls.labelsStartedTwice(run), "tasks"),
                new Figure("calls completed at the tool", calls.ended(run, "completed"), "calls"),
                new Figure("tool fake down for", down.toMillis(), "ms")),
                List.of(Target.atLeast("calls in flight at the kill", 1, inFlight, "calls",
                        "the kill found no call in flight: nothing was injected")),
                notes);
    }

    /**
     * The tool fake's counts once {@code wanted} calls are in flight at once, or once their peak has not grown for a
     * second (the worker's activity slots bound it) and at least three quarters of it are, or when the timeout passes.
     */
    private static JsonNode awaitInFlight(BenchSystem system, int wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode stats = system.tool().stats();
        int most = 0;
        long grewAt = System.nanoTime();
        while (System.nanoTime() < deadline && stats.path("atOnce").asInt() < wanted) {
            int atOnce = stats.path("atOnce").asInt();
            if (atOnce > most) {
                most = atOnce;
                grewAt = System.nanoTime();
            } else if (atOnce > 0 && atOnce * 4 >= most * 3
                    && System.nanoTime() - grewAt > Duration.ofSeconds(1).toNanos()) {
                // Calls end and others start: the number wavers below its peak, so three quarters of it will do.
                return stats;
            }
            TaskEnds.sleep(Duration.ofMillis(50));
            stats = system.tool().stats();
        }
        return stats;
    }

    /** Submits the next task of the run, each with its own label. */
    private static final class Submitter implements java.util.function.Supplier<Api.Response> {

        private final BenchSystem system;
        private final String run;
        private final long holdMillis;
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        Submitter(BenchSystem system, String run, long holdMillis) {
            this.system = system;
            this.run = run;
            this.holdMillis = holdMillis;
        }

        @Override
        public Api.Response get() {
            return system.submitHold(run + next.getAndIncrement(), holdMillis);
        }
    }
}
