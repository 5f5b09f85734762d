package dev.keiko.bench.scenario;

import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.Report;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.report.Target;
import dev.keiko.bench.system.BenchProcess;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.bench.system.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Tool tasks completed per second end to end (submission through the API to {@code completed} in the read model):
 * with one worker at its default settings, then with two; and with a small activity slot limit that binds, one worker
 * against two.
 */
final class ThroughputScenario implements Scenario {

    private static final Duration WAIT = Duration.ofMinutes(10);

    @Override
    public String name() {
        return "throughput";
    }

    @Override
    public String measures() {
        return "Tool tasks completed per second end to end, from the first `POST /api/v1/tasks` sent to the last task"
                + " seen `completed` in PostgreSQL: with one worker at its default settings (a tool answering in 0-20"
                + " ms), with two; then with the activity slot limit binding (a slower tool and few slots per worker),"
                + " one worker against two.";
    }

    @Override
    public ScenarioResult run(BenchSystem system) {
        ScenarioOptions options = ScenarioOptions.current();
        int n = options.count("throughput.n", 1000, 100);
        int concurrency = options.integer("throughput.concurrency", 50);
        int warmup = options.count("throughput.warmup", 200, 30);
        int boundN = options.count("throughput.bound.n", 200, 40);
        int boundSlots = options.integer("throughput.bound.slots", 2);
        int boundMillis = options.integer("throughput.bound.millis", 250);
        List<Figure> figures = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        BenchSystem.say("throughput: one worker, default settings");
        BenchProcess first = system.startWorker(WorkerOptions.named("worker-1"));
        system.warmToolCatalog();
        EndToEnd.run(system, "warmup", warmup, concurrency, i -> i % 21, WAIT);
        EndToEnd.Result one = EndToEnd.run(system, "one", n, concurrency, i -> i % 21, WAIT);
        say("one worker", one);
        add(figures, "one worker", one);

        BenchSystem.say("throughput: two workers, default settings");
        BenchProcess second = system.startWorker(WorkerOptions.named("worker-2"));
        EndToEnd.run(system, "warmup2", warmup / 2, concurrency, i -> i % 21, WAIT);
        EndToEnd.Result two = EndToEnd.run(system, "two", n, concurrency, i -> i % 21, WAIT);
        say("two workers", two);
        add(figures, "two workers", two);
        system.stopWorker(first);
        system.stopWorker(second);

        Map<String, String> slots = Map.of("keiko.worker.activity-task-slots", Integer.toString(boundSlots));
        BenchSystem.say("throughput: slot limit binding (" + boundSlots + " activity slots, tool " + boundMillis
                + " ms), one worker");
        BenchProcess boundFirst = system.startWorker(WorkerOptions.named("worker-3-bound").withProperties(slots));
        int boundWarmup = Math.max(10, boundN / 10);
        EndToEnd.run(system, "warmup3", boundWarmup, concurrency, i -> boundMillis, WAIT);
        EndToEnd.Result boundOne = EndToEnd.run(system, "bound-one", boundN, concurrency, i -> boundMillis, WAIT);
        say("bound, one worker", boundOne);
        add(figures, "slot-bound, one worker", boundOne);
        BenchSystem.say("throughput: slot limit binding, two workers");
        BenchProcess boundSecond = system.startWorker(WorkerOptions.named("worker-4-bound").withProperties(slots));
        // The pair shares this warm-up about evenly, so the new worker gets about as many tasks as the first did.
        EndToEnd.run(system, "warmup4", 2 * (boundWarmup + boundN), concurrency, i -> boundMillis, WAIT);
        EndToEnd.Result boundTwo = EndToEnd.run(system, "bound-two", boundN, concurrency, i -> boundMillis, WAIT);
        say("bound, two workers", boundTwo);
        add(figures, "slot-bound, two workers", boundTwo);
        CompletableFuture.allOf(CompletableFuture.runAsync(() -> system.stopWorker(boundFirst)),
                CompletableFuture.runAsync(() -> system.stopWorker(boundSecond))).join();

        double scaling = boundTwo.perSecond() / boundOne.perSecond();
        figures.add(new Figure("two / one worker, default settings", two.perSecond() / one.perSecond(), "x"));
        figures.add(new Figure("two / one worker, slot-bound", scaling, "x"));
        double ceiling = boundSlots / ((boundMillis + 1) / 1000.0);
        figures.add(new Figure("slot-bound ceiling per worker (slots / tool time)", ceiling, "tool calls/s"));

        List<Target> targets = new ArrayList<>();
        targets.add(Target.atLeast("tool tasks completed per second end to end, one worker", 100, one.perSecond(),
                "tasks/s", explainOne(one)));
        targets.add(Target.atLeast("two workers / one, slot limit binding", 1.8, scaling, "x",
                explainScaling(boundOne, boundTwo, ceiling)));

        notes.add("Each run submits its tasks through the API at concurrency " + concurrency + " (closed loop) and"
                + " waits for every one to be `completed` in PostgreSQL (LISTEN on `task_events`, then one query per"
                + " batch of announced tasks): the API is not polled, so its CPU goes to submissions only. Throughput"
                + " is completed tasks / (last completion seen - first submission sent); 'steady' counts the"
                + " completions between the 10th and 90th percentile of completion times.");
        notes.add("The embedded PostgreSQL runs with `fsync` off (`synchronous_commit` on): commits cost less than on"
                + " a production server.");
        notes.add("Default settings: " + n + " tasks per run after a warm-up (" + warmup + " tasks with one worker, "
                + warmup / 2 + " more once the second joined), tool `hold` answering in (task index mod 21) ms, i.e."
                + " 0-20 ms; workers without sticky queues (as the dev system on this test server), 512 MB heap, the"
                + " default 50 workflow and 100 activity task slots.");
        notes.add("Slot limit binding: " + boundN + " tasks per run, the tool answering in " + boundMillis + " ms,"
                + " each worker with `keiko.worker.activity-task-slots=" + boundSlots + "` (a tool task's one"
                + " activity is its tool call; marking it running and recording its outcome are local activities,"
                + " which take no activity slot), so one worker cannot pass about "
                + Report.number(ceiling) + " tool calls a second whatever the CPU; the second worker polls the same"
                + " task queue. The same system, one worker then two: the first worker warmed with "
                + Math.max(10, boundN / 10) + " tasks before its run, the pair with " + 2 * (Math.max(10, boundN / 10)
                + boundN) + " before theirs, so that the second has run about as many tasks as the first.");
        notes.add("The bench's API caches the tool fake's tool list for 1 h (`keiko.mcp.tools-cache-ttl`, default"
                + " 60 s), listed once by the first worker before the first run. Since the lookups moved to a queue"
                + " of their own (`keiko-control`), shared by every submission that misses the cache at once and"
                + " waited for at most `keiko.mcp.tools-check-wait` (2 s), the default would cost one lookup a"
                + " minute; before, each miss started its own lookup behind the backlog of tasks and waited up to"
                + " 10 s (in one run the API logged 200 such timeouts in 45 s). Lookups that failed are counted.");
        notes.add("CPU per completed task (ms), one worker: " + cpuLine(one) + ". Two workers: " + cpuLine(two)
                + ".");
        for (EndToEnd.Result result : List.of(one, two, boundOne, boundTwo)) {
            if (result.firstFailure() != null) {
                notes.add("First failure (" + result.notCompleted() + " not completed): " + result.firstFailure());
            }
        }
        return new ScenarioResult(name(), measures(), figures, targets, notes);
    }

    private static String explainOne(EndToEnd.Result one) {
        int cores = Runtime.getRuntime().availableProcessors();
        double cpu = totalCpu(one);
        return "one worker completed " + Report.number(one.perSecond()) + " tasks/s end to end while the API accepted "
                + Report.number(one.submittedPerSecond()) + " submissions/s; this " + cores + "-core machine spent "
                + Report.number(cpu) + " ms of CPU per task across the processes (" + cpuLine(one) + "), so it"
                + " cannot pass " + Report.number(cores * 1000 / cpu) + " tasks/s: CPU, not waiting, bounds it."
                + " What would meet it: 100 tasks/s needs at most " + Report.number(cores * 1000 / 100.0)
                + " ms of CPU per task in all processes together. A JFR profile of the worker under this load, taken"
                + " by hand during development (README, 'Where the time goes'), put about a quarter of its samples"
                + " each in the R2DBC driver (the task's own rows), in gRPC to Temporal and in running and replaying"
                + " the workflow, which without sticky queues replays the whole history at every workflow task. The"
                + " levers: sticky queues on a Temporal server that redelivers a dead worker's sticky tasks (the"
                + " long-agent scenario of this report measures the worker's CPU per step with and without them),"
                + " fewer queries per task (each of a task's rows, its server's definition and its progress are"
                + " statements of their own), and the API's own CPU per submission (see `submission`). Marking the"
                + " task running and recording its outcome already run as local activities, in the workflow task"
                + " that asks for them. Together the levers left are estimated to cut the total by half, not by the "
                + Report.number(cpu / (cores * 1000 / 100.0)) + " times the target needs on " + cores + " cores.";
    }

    private static String explainScaling(EndToEnd.Result boundOne, EndToEnd.Result boundTwo, double ceiling) {
        int cores = Runtime.getRuntime().availableProcessors();
        double coresUsed = totalCpu(boundTwo) * boundTwo.perSecond() / 1000;
        String why = "two slot-bound workers completed " + Report.number(boundTwo.perSecond())
                + " tasks/s against one's " + Report.number(boundOne.perSecond()) + " (at most "
                + Report.number(ceiling) + " tool calls/s per worker); CPU per task: " + cpuLine(boundTwo)
                + ". At that rate"
                + " Keiko's processes used " + Report.number(coresUsed) + " of " + cores + " cores. ";
        if (coresUsed >= 0.85 * cores) {
            return why + "The second worker shares the machine's CPU with the API, Temporal and the first, so the"
                    + " slots bind only while the CPU has room. What would meet it: workers on machines of their"
                    + " own, as production runs them, or less CPU per task (see the throughput target above).";
        }
        return why + "The CPU had room, so it is not what held the pair back: each task also waits, outside its"
                + " slots, for its workflow tasks and for a poll of the freed slot (a few ms each on this server),"
                + " which the slot ceiling leaves out. What would meet it: fewer round trips per task, or"
                + " workers with more slots each, so that the slot-bound rate is reached with the waits overlapped.";
    }

    private static double totalCpu(EndToEnd.Result result) {
        return result.cpuMillis().entrySet().stream().filter(e -> !e.getKey().equals(BenchSystem.MACHINE))
                .mapToLong(Map.Entry::getValue).sum() / (double) Math.max(1, result.completed());
    }

    static String cpuLine(EndToEnd.Result result) {
        return result.cpuMillis().entrySet().stream().filter(e -> !e.getKey().equals(BenchSystem.MACHINE))
                .map(e -> e.getKey() + " " + Report.number(e.getValue() / (double) Math.max(1, result.completed())))
                .collect(Collectors.joining(", "))
                + "; every process on the machine, others' included: " + Report.number(
                        result.cpuMillis().getOrDefault(BenchSystem.MACHINE, -1L)
                                / (double) Math.max(1, result.completed()));
    }

    private static void add(List<Figure> figures, String label, EndToEnd.Result result) {
        figures.add(new Figure(label + ": completed per second end to end", result.perSecond(), "tasks/s"));
        figures.add(new Figure(label + ": steady completion rate (10th-90th pct)", result.steadyPerSecond(),
                "tasks/s"));
        figures.add(new Figure(label + ": submissions accepted per second", result.submittedPerSecond(), "tasks/s"));
        figures.add(new Figure(label + ": submission to completed p50", result.endToEnd().percentileMillis(50),
                "ms"));
        figures.add(new Figure(label + ": submission to completed p95", result.endToEnd().percentileMillis(95),
                "ms"));
        figures.add(new Figure(label + ": tasks completed / submitted", result.completed(), "of " + result.n()));
        figures.add(new Figure(label + ": tool-list lookups that failed", result.toolListTimeouts(), "lookups"));
    }

    private static void say(String label, EndToEnd.Result result) {
        BenchSystem.say("throughput: " + label + ": " + Report.number(result.perSecond()) + " tasks/s ("
                + result.completed() + " of " + result.n() + "), submissions " + Report.number(
                        result.submittedPerSecond()) + "/s; CPU ms/task " + cpuLine(result));
    }
}
