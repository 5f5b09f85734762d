package dev.keiko.bench.scenario;

import dev.keiko.bench.fakes.DirectCalls;
import dev.keiko.bench.fakes.ModelFake;
import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.Report;
import dev.keiko.bench.report.Samples;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.report.Target;
import dev.keiko.bench.system.Api;
import dev.keiko.bench.system.BenchProcess;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.bench.system.TaskWatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * One agent task at a time: 6 model calls of 50 ms and 5 tool calls of 20 ms (400 ms of external latency), from
 * {@code POST /api/v1/tasks} to {@code completed} in PostgreSQL, against the same calls made by a plain Java loop,
 * run by run in turn; with a worker without sticky queues (as the dev system runs) and with one with them.
 */
final class OverheadScenario implements Scenario {

    private static final int MODEL_CALLS = 6;
    private static final int TOOL_CALLS = MODEL_CALLS - 1;
    private static final Duration TASK_WAIT = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "overhead";
    }

    @Override
    public String measures() {
        return "Orchestration overhead: wall time of an agent task of 6 model calls (50 ms each) and 5 tool calls"
                + " (20 ms each), from `POST /api/v1/tasks` to `completed` in the read model, one task at a time,"
                + " against the 400 ms those calls take and against a plain Java loop making the same HTTP calls to"
                + " the same fakes without Temporal; medians of sequential runs, Keiko and the loop in turn.";
    }

    @Override
    public ScenarioResult run(BenchSystem system) {
        ScenarioOptions options = ScenarioOptions.current();
        int runs = options.count("overhead.runs", 20, 5);
        int warmup = options.count("overhead.warmup", 5, 2);
        long modelMillis = options.integer("overhead.model-ms", 50);
        long toolMillis = options.integer("overhead.tool-ms", 20);
        double external = MODEL_CALLS * modelMillis + TOOL_CALLS * toolMillis;
        system.model().latency(Duration.ofMillis(modelMillis)).script(AgentTasks.holdScript(TOOL_CALLS, toolMillis));

        List<Figure> figures = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Double> loopAll = new ArrayList<>();
        try (DirectCalls direct = new DirectCalls(system.model().baseUrl(), ModelFake.MODEL, system.tool().url())) {
            for (boolean sticky : new boolean[] {false, true}) {
                String mode = sticky ? "sticky queues" : "no sticky queues";
                BenchProcess worker = system.startWorker(AgentTasks.worker(
                        "worker-overhead-" + (sticky ? "sticky" : "nonsticky"), sticky, Map.of()));
                BenchSystem.say("overhead (" + mode + "): warm-up, " + warmup + " runs");
                for (int i = 0; i < warmup; i++) {
                    keikoRun(system, modelMillis);
                    loopRun(direct);
                }
                List<Double> keiko = new ArrayList<>();
                List<Double> loop = new ArrayList<>();
                List<Run> details = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    Run run = keikoRun(system, modelMillis);
                    details.add(run);
                    keiko.add(run.wallMillis);
                    loop.add(loopRun(direct));
                }
                system.stopWorker(worker);
                loopAll.addAll(loop);
                double keikoMedian = Samples.median(keiko);
                double loopMedian = Samples.median(loop);
                BenchSystem.say("overhead (" + mode + "): Keiko median " + Math.round(keikoMedian)
                        + " ms, loop median " + Math.round(loopMedian) + " ms");
                String tag = " (" + mode + ")";
                figures.add(new Figure("Keiko wall time, median" + tag, keikoMedian, "ms"));
                figures.add(new Figure("Keiko wall time, min" + tag, Samples.min(keiko), "ms"));
                figures.add(new Figure("Keiko wall time, max" + tag, Samples.max(keiko), "ms"));
                figures.add(new Figure("plain loop wall time, median" + tag, loopMedian, "ms"));
                figures.add(new Figure("Keiko / 400 ms" + tag, keikoMedian / external, "x"));
                figures.add(new Figure("Keiko / plain loop" + tag, keikoMedian / loopMedian, "x"));
                Map<String, Double> phases = phases(details);
                phases.forEach((phase, millis) -> figures.add(new Figure(phase + tag, millis, "ms")));
                Map<String, Histories.Phase> history = Histories.perWorkflow(details.stream()
                        .map(r -> r.history).filter(java.util.Objects::nonNull).toList());
                history.forEach((phase, value) -> {
                    if (phase.startsWith("workflow task")) {
                        return;
                    }
                    figures.add(new Figure("history: " + phase + ", count per task" + tag, value.count(), ""));
                    if (!phase.startsWith("marker")) {
                        figures.add(new Figure("history: " + phase + ", total per task" + tag, value.totalMillis(),
                                "ms"));
                    }
                });
                String why = explanation(keikoMedian, external, loopMedian, phases, history);
                targets.add(Target.atMost("Keiko wall time / 400 ms of calls" + tag, 1.15, keikoMedian / external,
                        "x", why));
                targets.add(Target.atMost("Keiko wall time / plain Java loop" + tag, 1.15, keikoMedian / loopMedian,
                        "x", why));
            }
        }
        figures.add(new Figure("plain loop / 400 ms (both modes' runs)", Samples.median(loopAll) / external, "x"));
        notes.add(runs + " measured runs per mode after " + warmup + " warm-up runs, strictly one at a time: a Keiko"
                + " task, then the plain loop, then the next Keiko task. Keiko's wall time runs from sending"
                + " `POST /api/v1/tasks` to the bench seeing `completed` in PostgreSQL's read model (LISTEN"
                + " task_events, then a read of the row: within milliseconds of the commit, without polling the API).");
        notes.add("One worker (512 MB heap) per mode, started for it: first without sticky queues"
                + " (`keiko.worker.sticky-queue-schedule-to-start-timeout=0s`, as the dev system runs on its test"
                + " server: every workflow task replays the history), then with the SDK's sticky default (5 s).");
        notes.add("The plain loop: the same streamed chat completions (the conversation growing as Keiko's does) to"
                + " the same model fake and MCP `tools/call` requests of `hold` to the same Node MCP server, on one"
                + " MCP session opened once, with the JDK HTTP client; no Temporal, no database.");
        notes.add("Phases (medians over runs) come from the fakes' own records on one clock: the model fake's"
                + " request arrivals and the moment each answer's last byte was sent, and the tool fake's call starts"
                + " and ends. History figures come from the workflow's history events' server timestamps (means"
                + " per task); activities of one step may overlap, so their totals need not add up to the wall"
                + " time. On the Java test server a workflow task's scheduled, started and completed events carry"
                + " timestamps about 1 ms apart (started to completed read 0 ms in development runs), so they do"
                + " not show a workflow task's time and are left out; the time with no activity scheduled or"
                + " running is what the workflow's own turns (and the"
                + " server between them) took.");
        return new ScenarioResult(name(), measures(), figures, targets, notes);
    }

    private static String explanation(double keikoMedian, double external, double loopMedian,
            Map<String, Double> phases,
            Map<String, Histories.Phase> history) {
        StringBuilder why = new StringBuilder("of the median ").append(Report.number(keikoMedian))
                .append(" ms, ").append(Report.number(external)).append(" ms are the calls themselves; the rest: ");
        List<String> parts = new ArrayList<>();
        phases.forEach((phase, millis) -> {
            if (!phase.startsWith("model call") && !phase.startsWith("tool call")) {
                parts.add(phase + " " + Report.number(millis) + " ms");
            }
        });
        why.append(String.join(", ", parts)).append(". ");
        Histories.Phase queued = history.get("workflow task: queued (scheduled to started)");
        if (queued != null) {
            why.append("Its history shows ").append(Report.number(queued.count())).append(" workflow tasks and ");
        }
        long activityTasks = Math.round(history.entrySet().stream()
                .filter(e -> e.getKey().startsWith("activity") && e.getKey().contains("queued"))
                .mapToDouble(e -> e.getValue().count()).sum());
        why.append(activityTasks).append(" activities per task for ").append(MODEL_CALLS + TOOL_CALLS)
                .append(" calls (see the history figures for each type's queue and run time). What would meet it:"
                        + " fewer and cheaper turns around each call. Sticky queues (measured here in their own"
                        + " mode) spare each workflow task the replay of the history (marking the task running and"
                        + " recording its outcome already run as local activities inside workflow tasks);"
                        + " the ~10 ms each activity spends before its call and after its answer (its server's"
                        + " definition read from PostgreSQL, progress written, payloads encrypted) is the rest. The"
                        + " plain loop itself took ").append(Report.number(loopMedian / external))
                .append(" times 400 ms in this run: what any client spends on HTTP, server-sent events and MCP"
                        + " around the calls on this machine.");
        return why.toString();
    }

    /** The median of each phase over the runs, in milliseconds. */
    private static Map<String, Double> phases(List<Run> runs) {
        Map<String, List<Double>> all = new LinkedHashMap<>();
        for (Run run : runs) {
            run.phases.forEach((name, millis) -> all.computeIfAbsent(name, n -> new ArrayList<>()).add(millis));
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        all.forEach((name, values) -> medians.put(name, Samples.median(values)));
        return medians;
    }

    private record Run(double wallMillis, Map<String, Double> phases, Histories.Summary history) {
    }

    private static Run keikoRun(BenchSystem system, long modelMillis) {
        String marker = AgentTasks.marker();
        system.tool().reset();
        AgentTasks.Clock clock = new AgentTasks.Clock();
        long sent = System.nanoTime();
        Api.Response response = AgentTasks.submit(system, marker, 10, 120);
        UUID taskId = BenchSystem.taskId(response);
        TaskWatcher.Seen seen = system.awaitStatus(taskId, "completed", TASK_WAIT);
        double wall = (seen.atNanos() - sent) / 1e6;

        Map<String, Double> phases = new LinkedHashMap<>();
        phases.put("submission (POST /api/v1/tasks answered)", response.nanos() / 1e6);
        List<Long> arrivals = system.model().arrivals(marker);
        List<Long> answered = system.model().answers(marker).stream().map(ModelFake.Answer::sentAtNanos).toList();
        JsonNode stats = system.tool().stats();
        List<Long> toolStarts = AgentTasks.toolTimes(stats, "starts", marker);
        List<Long> toolEnds = AgentTasks.toolTimes(stats, "ends", marker);
        if (arrivals.size() == MODEL_CALLS && answered.size() == MODEL_CALLS && toolStarts.size() == TOOL_CALLS
                && toolEnds.size() == TOOL_CALLS) {
            phases.put("submission sent to first model request", (arrivals.get(0) - sent) / 1e6);
            double answerToTool = 0;
            double toolToModel = 0;
            for (int k = 0; k < TOOL_CALLS; k++) {
                answerToTool += toolStarts.get(k) - clock.epochMillis(answered.get(k));
                toolToModel += clock.epochMillis(arrivals.get(k + 1)) - toolEnds.get(k);
            }
            phases.put("model answered to tool call start (5 in all)", answerToTool);
            phases.put("tool answered to next model request (5 in all)", toolToModel);
            phases.put("final model answer to completed seen", (seen.atNanos() - answered.get(MODEL_CALLS - 1)) / 1e6);
            double modelCalls = 0;
            for (int k = 0; k < MODEL_CALLS; k++) {
                modelCalls += (answered.get(k) - arrivals.get(k)) / 1e6;
            }
            phases.put("model calls (6, request arrived to last byte sent, at the fake)", modelCalls);
            phases.put("tool calls (5, at the fake)", toolEnds.stream().mapToDouble(Long::doubleValue).sum()
                    - toolStarts.stream().mapToDouble(Long::doubleValue).sum());
        } else {
            BenchSystem.say("overhead: run " + marker + " saw " + arrivals.size() + " model requests and "
                    + toolStarts.size() + " tool calls; its phases are left out");
        }
        Histories.Summary history = null;
        try {
            history = Histories.of(system.workflowClient(), AgentTasks.workflowId(taskId));
        } catch (RuntimeException e) {
            BenchSystem.say("overhead: no history of " + taskId + ": " + e);
        }
        if (history != null) {
            List<Histories.Activity> model = history.activities().stream()
                    .filter(a -> a.type().equals("Complete")).toList();
            List<Histories.Activity> tool = history.activities().stream()
                    .filter(a -> a.type().equals("CallTool")).toList();
            if (model.size() == arrivals.size() && answered.size() == arrivals.size()
                    && tool.size() == toolStarts.size()
                    && toolEnds.size() == toolStarts.size()) {
                double beforeModel = 0;
                double afterModel = 0;
                for (int k = 0; k < model.size(); k++) {
                    double arrived = clock.epochMillis(arrivals.get(k));
                    beforeModel += arrived - model.get(k).started();
                    afterModel += model.get(k).completed() - clock.epochMillis(answered.get(k));
                }
                double beforeTool = 0;
                double afterTool = 0;
                for (int k = 0; k < tool.size(); k++) {
                    beforeTool += toolStarts.get(k) - tool.get(k).started();
                    afterTool += tool.get(k).completed() - toolEnds.get(k);
                }
                phases.put("model activity started to its request at the model (6 in all)", beforeModel);
                phases.put("model answered to its activity completed (6 in all)", afterModel);
                phases.put("tool activity started to its call at the tool (5 in all)", beforeTool);
                phases.put("tool answered to its activity completed (5 in all)", afterTool);
            }
            phases.put("other activities (ListTools, ...) from scheduled to completed",
                    history.activities().stream().filter(a -> !a.type().equals("Complete")
                            && !a.type().equals("CallTool")).mapToDouble(a -> a.completed() - a.scheduled()).sum());
            phases.put("no activity scheduled or running (the workflow's own turns)", history.withoutActivities());
        }
        return new Run(wall, phases, history);
    }

    private static double loopRun(DirectCalls direct) {
        String marker = AgentTasks.marker();
        long started = System.nanoTime();
        int calls = direct.agent("Benchmark task " + marker, List.of(HOLD_DEFINITION), 10);
        double wall = (System.nanoTime() - started) / 1e6;
        if (calls != MODEL_CALLS) {
            throw new IllegalStateException("The plain loop made " + calls + " model calls, not " + MODEL_CALLS);
        }
        return wall;
    }

    /** The tool definition the loop offers, as Keiko offers {@code hold} (its MCP input schema). */
    private static final Map<String, Object> HOLD_DEFINITION = Map.of("type", "function", "function", Map.of(
            "name", AgentTasks.HOLD_FUNCTION,
            "description", "Holds the call open for `millis` and counts the labels held at once",
            "parameters", Map.of("type", "object", "properties", Map.of(
                    "label", Map.of("type", "string"),
                    "millis", Map.of("type", "integer", "minimum", 0, "maximum", 600000)),
                    "required", List.of("label", "millis"))));
}
