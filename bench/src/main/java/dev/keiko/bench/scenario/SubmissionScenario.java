package dev.keiko.bench.scenario;

import dev.keiko.bench.fakes.ToolFake;
import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.Latencies;
import dev.keiko.bench.report.Report;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.report.Target;
import dev.keiko.bench.system.Api;
import dev.keiko.bench.system.BenchProcess;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.bench.system.WorkerOptions;
import dev.keiko.workflows.TaskQueues;
import dev.keiko.workflows.task.TaskWorkflow;
import dev.keiko.workflows.task.TaskWorkflowInput;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /api/v1/tasks} of a tool task against the bare SDK's {@code WorkflowClient.start} of the same workflow
 * type with the same input shape, both at the same concurrency on the same server, in interleaved rounds.
 */
final class SubmissionScenario implements Scenario {

    private static final long TASK_TIMEOUT_SECONDS = 300;
    /** The API's default execution grace: the bare start gets the same execution timeout as Keiko's. */
    private static final Duration EXECUTION_GRACE = Duration.ofMinutes(5);

    @Override
    public String name() {
        return "submission";
    }

    @Override
    public String measures() {
        return "Submissions per second and their latency: Keiko's `POST /api/v1/tasks` of a tool task (authentication,"
                + " validation, PostgreSQL, workflow start) against the bare SDK's `WorkflowClient.start` of the same"
                + " workflow type (`TaskWorkflow`, same input shape, its own ids) at the same concurrency on the same"
                + " Temporal server, in interleaved rounds (Keiko, bare, bare, Keiko, ...) so that noise and drift hit both.";
    }

    @Override
    public ScenarioResult run(BenchSystem system) {
        ScenarioOptions options = ScenarioOptions.current();
        int n = options.count("submission.n", 2000, 100);
        int concurrency = options.integer("submission.concurrency", 50);
        int rounds = Math.max(2, options.integer("submission.rounds", 4) / 2 * 2);
        int warmup = options.count("submission.warmup", 4000, 50);
        // Half the rounds are Keiko's, half the bare SDK's: n of each.
        int perRound = Math.max(1, n / Math.max(1, rounds / 2));
        String token = system.adminToken();
        WorkflowClient client = system.workflowClient();

        Load.Call keiko = i -> {
            Api.Response response = system.submitTool(token, BenchSystem.TOOL_SERVER, ToolFake.HOLD,
                    Map.of("label", "submission-" + i, "millis", 10));
            if (response.status() != 202) {
                throw new IllegalStateException("POST /api/v1/tasks answered " + response.status() + ": "
                        + response.body());
            }
            return true;
        };
        Load.Call bare = i -> {
            String id = UUID.randomUUID().toString();
            TaskWorkflow workflow = client.newWorkflowStub(TaskWorkflow.class, WorkflowOptions.newBuilder()
                    .setWorkflowId("bare-" + id)
                    .setTaskQueue(TaskQueues.TASKS)
                    .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                    .setWorkflowExecutionTimeout(Duration.ofSeconds(TASK_TIMEOUT_SECONDS).plus(EXECUTION_GRACE))
                    .build());
            WorkflowClient.start(workflow::run, new TaskWorkflowInput(id, "tool", Map.of("server",
                    BenchSystem.TOOL_SERVER, "tool", ToolFake.HOLD, "arguments",
                    Map.of("label", "submission-" + i, "millis", 10)), TASK_TIMEOUT_SECONDS));
            return true;
        };

        // One worker fetches the tool list into the API's cache (a submission waits for it), then leaves.
        BenchProcess worker = system.startWorker(WorkerOptions.named("worker-catalog"));
        system.warmToolCatalog();
        system.awaitStatus(BenchSystem.taskId(system.submitHold("catalog", 0)), "completed", Duration.ofSeconds(60));
        system.stopWorker(worker);
        long lookupTimeoutsBefore = system.toolListTimeouts();

        BenchSystem.say("submission: warm-up, " + warmup + " of each");
        Load.Result keikoWarm = Load.run(warmup, concurrency, keiko);
        Load.Result bareWarm = Load.run(warmup, concurrency, bare);

        BenchProcess api = system.apiProcess();
        BenchProcess temporal = system.temporal();
        Side keikoSide = new Side();
        Side bareSide = new Side();
        for (int round = 0; round < rounds; round++) {
            boolean keikoRound = round % 2 == 0;
            // Keiko, bare, bare, Keiko, ...: which goes first alternates per pair, so a drift weighs on both alike.
            if ((round / 2) % 2 == 1) {
                keikoRound = !keikoRound;
            }
            Side side = keikoRound ? keikoSide : bareSide;
            long apiCpu = api.cpuMillis();
            long temporalCpu = temporal.cpuMillis();
            Load.Result result = Load.run(perRound, concurrency, keikoRound ? keiko : bare);
            side.add(result, api.cpuMillis() - apiCpu, temporal.cpuMillis() - temporalCpu);
            BenchSystem.say("submission: round " + (round + 1) + " " + (keikoRound ? "Keiko" : "bare") + " "
                    + Math.round(result.perSecond()) + "/s, p50 "
                    + Math.round(result.latencies().percentileMillis(50)) + " ms, errors " + result.errors());
        }

        long lookupTimeouts = system.toolListTimeouts() - lookupTimeoutsBefore;
        double ratio = keikoSide.perSecond() / bareSide.perSecond();
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("Keiko POST /api/v1/tasks throughput", keikoSide.perSecond(), "tasks/s"));
        figures.add(new Figure("bare WorkflowClient.start throughput", bareSide.perSecond(), "workflows/s"));
        figures.add(new Figure("ratio Keiko / bare", ratio, "x"));
        for (double p : new double[] {50, 95, 99}) {
            figures.add(new Figure("Keiko latency p" + (int) p, keikoSide.latencies.percentileMillis(p), "ms"));
        }
        for (double p : new double[] {50, 95, 99}) {
            figures.add(new Figure("bare latency p" + (int) p, bareSide.latencies.percentileMillis(p), "ms"));
        }
        figures.add(new Figure("Keiko requests", keikoSide.count, "requests"));
        figures.add(new Figure("Keiko errors", keikoSide.errors, "requests"));
        figures.add(new Figure("bare starts", bareSide.count, "starts"));
        figures.add(new Figure("bare errors", bareSide.errors, "starts"));
        figures.add(new Figure("API CPU per Keiko submission", keikoSide.apiCpuMillis / (double) keikoSide.count,
                "ms"));
        figures.add(new Figure("Temporal server CPU per Keiko submission",
                keikoSide.temporalCpuMillis / (double) keikoSide.count, "ms"));
        figures.add(new Figure("Temporal server CPU per bare start",
                bareSide.temporalCpuMillis / (double) bareSide.count, "ms"));
        figures.add(new Figure("tool-list lookups that failed (submissions waiting on one wait up to 2 s)",
                lookupTimeouts, "lookups"));
        figures.add(new Figure("warm-up Keiko throughput (not counted)", keikoWarm.perSecond(), "tasks/s"));
        figures.add(new Figure("warm-up bare throughput (not counted)", bareWarm.perSecond(), "workflows/s"));

        List<Target> targets = List.of(Target.atLeast("Keiko / bare submission throughput at concurrency "
                + concurrency, 0.8, ratio, "x", "Keiko accepted " + Math.round(keikoSide.perSecond())
                + " tasks/s against the bare SDK's " + Math.round(bareSide.perSecond())
                + " starts/s; each submission cost the API "
                + Report.number(keikoSide.apiCpuMillis / (double) keikoSide.count)
                + " ms of CPU (and Temporal's server "
                + Report.number(keikoSide.temporalCpuMillis / (double) keikoSide.count)
                + " ms, against " + Report.number(
                        bareSide.temporalCpuMillis / (double) bareSide.count)
                + " ms per bare start) on this " + Runtime.getRuntime().availableProcessors() + "-core machine: "
                + ceiling(keikoSide, bareSide)));

        List<String> notes = new ArrayList<>();
        notes.add(n + " submissions of each kind in " + rounds + " interleaved rounds (Keiko, bare, bare, Keiko, ...)"
                + " of " + perRound
                + " at concurrency " + concurrency + " (closed loop: each of " + concurrency
                + " virtual threads sends its next request when its last one answered), after a warm-up of "
                + warmup + " of each that is not counted.");
        notes.add("No worker polls during the warm-up and the rounds: both kinds of workflow stay queued, so neither"
                + " side's figures include workers' load. Before them one worker listed the tool fake's tools for the"
                + " API and ran one tool task, and was stopped: a tool task's submission checks its tool against the"
                + " server's tool list, which the API asks a worker for (a `ToolCatalogWorkflow` on the queue"
                + " `keiko-control`) and caches; the bench's API caches it for 1 h instead of the default 60 s"
                + " (`keiko.mcp.tools-cache-ttl`), so the rounds, which no worker serves, measure submissions that hit"
                + " the cache, as all but those sharing one lookup a minute do in production; the figure of lookups that timed out says whether"
                + " any missed it. The system was started fresh for this scenario.");
        notes.add("Keiko: one admin access token for every request, a tool task on the registered MCP server"
                + " `bench`; the latency is the HTTP round trip as the load driver sees it (JDK HttpClient,"
                + " HTTP/1.1, one connection per thread).");
        notes.add("Bare: `WorkflowClient.start` from the bench JVM with the SDK's default data converter (no"
                + " encryption, no search attributes, no summary), the same task queue and execution timeout as"
                + " Keiko's (task timeout 300 s + 5 min grace), a new workflow stub per start.");
        if (keikoSide.firstError != null) {
            notes.add("First Keiko error: " + keikoSide.firstError);
        }
        if (bareSide.firstError != null) {
            notes.add("First bare error: " + bareSide.firstError);
        }
        return new ScenarioResult(name(), measures(), figures, targets, notes);
    }

    /** One side's rounds together. */
    private static final class Side {
        private final Latencies latencies = new Latencies();
        private long wallNanos;
        private int count;
        private int errors;
        private long apiCpuMillis;
        private long temporalCpuMillis;
        private String firstError;

        void add(Load.Result result, long apiCpu, long temporalCpu) {
            latencies.add(result.latencies());
            wallNanos += result.wallNanos();
            count += result.count();
            errors += result.errors();
            apiCpuMillis += apiCpu;
            temporalCpuMillis += temporalCpu;
            if (firstError == null) {
                firstError = result.firstError();
            }
        }

        double perSecond() {
            return (count - errors) / (wallNanos / 1e9);
        }
    }

    /** Why the ratio cannot pass what it measured, from CPU per submission, and what would meet the target. */
    private static String ceiling(Side keiko, Side bare) {
        int cores = Runtime.getRuntime().availableProcessors();
        double api = keiko.apiCpuMillis / (double) keiko.count;
        double temporal = keiko.temporalCpuMillis / (double) keiko.count;
        double wanted = 0.8 * bare.perSecond();
        return "the API and Temporal together spend " + Report.number(api + temporal) + " ms of CPU per submission,"
                + " which caps Keiko near " + Report.number(cores * 1000 / (api + temporal)) + " submissions/s on "
                + cores + " cores, while 0.8 of the bare SDK is " + Report.number(wanted) + "/s: at most "
                + Report.number(cores * 1000 / wanted) + " ms per submission for both. A Keiko submission does"
                + " strictly more than a bare start (HTTP and JSON, the JWT and the user's row, the server's"
                + " definition and tool check, the task's insert, an encrypted start with search attributes and a"
                + " summary), and Temporal's server alone spends " + Report.number(temporal) + " ms per Keiko start"
                + " against " + Report.number(bare.temporalCpuMillis / (double) bare.count) + " per bare one (larger"
                + " payloads and search attributes). A JFR profile of the API taken by hand during development (README,"
                + " 'Where the time goes') showed no single hot spot: the R2DBC driver and its observation proxy 36 %"
                + " of samples, Micrometer observation and context propagation about"
                + " 30 %, the blocking start 17 %. What would meet it: nothing short of a request path as cheap as the"
                + " bare client's; the levers, to measure one by one, are fewer queries per request (the user's row"
                + " and the server's definition cached for seconds, invalidated on change), R2DBC's per-query"
                + " observation only when traces are exported, an asynchronous start instead of a blocking one on"
                + " boundedElastic, and smaller start payloads for Temporal.";
    }
}
