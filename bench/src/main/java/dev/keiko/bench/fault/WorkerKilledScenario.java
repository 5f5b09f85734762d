package dev.keiko.bench.fault;

import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.report.Target;
import dev.keiko.bench.scenario.Scenario;
import dev.keiko.bench.scenario.ScenarioOptions;
import dev.keiko.bench.system.Api;
import dev.keiko.bench.system.BenchProcess;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.bench.system.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Workers killed with {@code kill -9} under a load of tool tasks, as the dev system can survive it: no sticky queues,
 * and a spare worker polling for each kill, all started before the load, so that at least two poll; kills go on
 * while tasks are in flight. Every task completes; tool calls cut by a kill and made again are counted at the tool.
 * Before that, unless {@code quick}, it shows why: with sticky queues,
 * Temporal's test server never hands a killed worker's workflow tasks to another ({@link StickyEvidence}).
 */
public final class WorkerKilledScenario implements Scenario {

    private static final String PREFIX = "fault-worker-";
    private FaultCounts counts;

    @Override
    public String name() {
        return "worker-killed";
    }

    @Override
    public String measures() {
        return "Tool tasks (1 s at the tool) submitted at a steady rate to two workers without sticky queues, one"
                + " worker killed with kill -9 every 10 s while tasks are in flight, spares for the kills polling from"
                + " the start: every task completes; tool calls cut by a kill and made again are counted at the tool."
                + " Unless quick, first the same kill with sticky queues, to show what the test server does with them.";
    }

    public FaultCounts counts() {
        return counts;
    }

    @Override
    public ScenarioResult run(BenchSystem system) {
        ScenarioOptions options = ScenarioOptions.current();
        int n = options.count(name() + ".n", 500, 50);
        long holdMillis = options.integer(name() + ".hold-ms", options.quick() ? 2000 : 1000);
        Duration submitOver = Duration.ofSeconds(options.integer(name() + ".submit-seconds", options.quick() ? 4 : 40));
        Duration killEvery = Duration.ofSeconds(options.integer(name() + ".kill-every-seconds", 10));
        int maxKills = options.integer(name() + ".kills", options.quick() ? 1 : 100);
        boolean stickyEvidence = Boolean.parseBoolean(options.text(name() + ".sticky-evidence",
                Boolean.toString(!options.quick())));
        List<String> notes = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        if (stickyEvidence) {
            StickyEvidence.Result sticky = StickyEvidence.run(system, options.integer(name() + ".sticky-n", 20));
            notes.add(sticky.note());
            figures.add(new Figure("sticky queues on: tasks submitted", sticky.submitted(), "tasks"));
            figures.add(new Figure("sticky queues on: tasks whose last workflow task the killed worker completed",
                    sticky.boundToVictim(), "tasks"));
            figures.add(new Figure("sticky queues on: tasks stuck 30 s after the kill", sticky.stuck(), "tasks"));
        }
        AtomicInteger names = new AtomicInteger();
        // Two workers and a spare for every kill, all started and polling before the load: on two cores a JVM
        // started under the load took over 30 s to poll (one full run killed once in 40 s), and JVMs started
        // every 10 s would spend the cores on their own start-up. Each kill leaves at least two polling.
        int plannedKills = (int) Math.max(1, Math.min(maxKills, submitOver.toSeconds() / killEvery.toSeconds() - 1));
        List<WorkerOptions> workers = new ArrayList<>();
        for (int i = 0; i < 2 + plannedKills; i++) {
            workers.add(worker(names));
        }
        List<BenchProcess> live = new ArrayList<>(Faults.startWorkers(system, workers));
        system.warmToolCatalog();
        system.tool().reset();
        String run = PREFIX + UUID.randomUUID().toString().substring(0, 8) + "-";
        Injections injections = new Injections();
        injections.at(live.size() + " workers polling (two and a spare for each of " + plannedKills
                + " kills); submitting " + n + " tasks over " + submitOver.toSeconds() + " s");
        List<CompletableFuture<?>> watches = Collections.synchronizedList(new ArrayList<>());
        List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger accepted = new AtomicInteger();
        Thread load = Thread.ofVirtual().start(() -> submitPaced(system, run, n, holdMillis, submitOver, accepted,
                watches, refusals));
        int kills = 0;
        int connectionsCut = 0;
        long nextKill = System.nanoTime() + Duration.ofSeconds(Math.min(2, submitOver.toSeconds() / 2)).toNanos();
        long killsEnd = System.nanoTime() + submitOver.toNanos() + Duration.ofSeconds(60).toNanos();
        String waitedFor = null;
        while ((load.isAlive() || !allDone(watches)) && kills < plannedKills && System.nanoTime() < killsEnd) {
            TaskEnds.sleep(Duration.ofMillis(200));
            if (System.nanoTime() < nextKill) {
                continue;
            }
            // A kill waits for calls at the tool and a victim with connections open to it (some of which may be
            // idle: the tool fake cannot tell which worker a call came from).
            int inFlight = system.tool().stats().path("atOnce").asInt();
            BenchProcess victim = live.stream().max(java.util.Comparator.comparingInt(
                    w -> ToolConnections.of(w.pid(), system.tool().port()))).orElseThrow();
            int connections = ToolConnections.of(victim.pid(), system.tool().port());
            if (inFlight == 0 || connections == 0) {
                waitedFor = waitedFor != null ? waitedFor : String.format("a kill due since t+%.1f s waited (then "
                        + "%d calls at the tool, %d connections from %s)", injections.secondsSinceStart(), inFlight,
                        connections, victim.name());
                continue;
            }
            if (waitedFor != null) {
                injections.at(waitedFor + " until now");
                waitedFor = null;
            }
            live.remove(victim);
            victim.kill9();
            kills++;
            connectionsCut += connections;
            injections.at("kill -9 " + victim.name() + " (pid " + victim.pid() + ", " + connections
                    + " connections open to the tool, " + inFlight + " calls at the tool); " + live.size()
                    + " worker(s) polling");
            nextKill = System.nanoTime() + killEvery.toNanos();
        }
        join(load);
        injections.at(accepted.get() + " tasks accepted, " + refusals.size()
                + " not accepted; waiting for them to end");
        List<String> failures = new ArrayList<>();
        FaultCounts.Tally tally = Faults.awaitCompleted(system, watches, Duration.ofSeconds(180), failures);
        injections.at(tally.completedSoFar() + " of " + accepted.get() + " tasks completed");
        ToolCalls calls = new ToolCalls();
        calls.add(system.tool().stats());
        counts = tally.counts(accepted.get(), calls.duplicated(run), false);
        // The survivors would otherwise poll, and spend the cores, through the scenarios after this one.
        live.forEach(system::stopWorker);
        notes.add(injections.note());
        notes.add("Workers run without sticky queues (keiko.worker.sticky-queue-schedule-to-start-timeout=0s, as the"
                + " launcher runs them). A tool call in flight on a killed worker is abandoned at the tool when its"
                + " HTTP exchange closes, and Temporal retries it on another worker after the heartbeat timeout (5 s):"
                + " a second start of the same call, counted as duplicated.");
        if (!failures.isEmpty()) {
            notes.add("Not completed (first 5): " + String.join("; ", failures));
        }
        figures.add(new Figure("workers killed", kills, "workers"));
        figures.add(new Figure("connections to the tool the killed workers held", connectionsCut, "connections"));
        figures.add(new Figure("calls abandoned at the tool (their worker died)", calls.ended(run, "abandoned"),
                "calls"));
        figures.add(new Figure("tasks whose call completed at the tool more than once (its first attempt ran to"
                + " its end at the tool, yet was retried: its worker was killed before reporting it, or its heartbeats"
                + " came late)", calls.labelsEndedMoreThanOnce(run, "completed"),
                "tasks"));
        figures.add(new Figure("tasks whose call started more than once", calls.labelsStartedTwice(run), "tasks"));
        figures.add(new Figure("submissions not accepted", refusals.size(), "tasks"));
        if (!refusals.isEmpty()) {
            notes.add("Submissions not accepted (first 3): " + String.join("; ",
                    List.copyOf(refusals).subList(0, Math.min(3, refusals.size()))));
        }
        return FaultResults.of(name(), measures(), counts, figures, List.of(
                Target.atLeast("workers killed", plannedKills, kills, "workers",
                        "no worker held a call when a kill was due; see the injections"),
                Target.atLeast("calls abandoned at the tool by a kill", 1, calls.ended(run, "abandoned"), "calls",
                        "no kill cut a call in flight, so the scenario proved nothing about retries")), notes);
    }

    private static boolean allDone(List<CompletableFuture<?>> watches) {
        return List.copyOf(watches).stream().allMatch(CompletableFuture::isDone);
    }

    private static WorkerOptions worker(AtomicInteger names) {
        return WorkerOptions.named("worker-killed-" + names.incrementAndGet());
    }

    /** Submits {@code n} tasks evenly over {@code over}, each on its own virtual thread, and watches each. */
    private static void submitPaced(BenchSystem system, String run, int n, long holdMillis, Duration over,
            AtomicInteger accepted, List<CompletableFuture<?>> watches, List<String> refusals) {
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long at = started + over.toNanos() * i / n;
            TaskEnds.sleep(Duration.ofNanos(Math.max(0, at - System.nanoTime())));
            int index = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    Api.Response response = system.submitHold(run + index, holdMillis);
                    if (response.status() == 202) {
                        accepted.incrementAndGet();
                        watches.add(system.watcher().watch(BenchSystem.taskId(response), "completed"));
                    } else {
                        refusals.add(response.status() + " " + response.body());
                    }
                } catch (RuntimeException e) {
                    refusals.add(e.toString());
                }
            }));
        }
        threads.forEach(WorkerKilledScenario::join);
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
