package dev.keiko.bench.scenario;

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
import io.temporal.api.history.v1.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Cancels of in-flight calls, one at a time, while 100 other tool tasks hold calls at the tool fake: for a tool
 * task's {@code hold} call, from {@code POST /api/v1/tasks/{id}/cancel} to the tool fake seeing the call cancelled,
 * and for an agent task's held model call, to the model fake seeing its caller go away; and for both, to
 * {@code cancelled} in the read model.
 */
final class CancelScenario implements Scenario {

    private static final long OTHER_HOLD_MILLIS = 290_000;
    private static final long TARGET_HOLD_MILLIS = 120_000;
    private static final Duration SEEN_WAIT = Duration.ofSeconds(30);
    private static final double BOUND_MILLIS = 250;

    @Override
    public String name() {
        return "cancel";
    }

    @Override
    public String measures() {
        return "Cancel latency with 100 other tool tasks in flight: from `POST /api/v1/tasks/{id}/cancel` to the"
                + " in-flight call stopping at the fake (the tool fake records the MCP cancellation; the model fake"
                + " sees its streamed answer's caller go away) and to `cancelled` in the read model the API serves;"
                + " p50, p95 and max over sequential cancels.";
    }

    @Override
    public ScenarioResult run(BenchSystem system) {
        ScenarioOptions options = ScenarioOptions.current();
        int others = options.count("cancel.others", 100, 10);
        int toolCancels = options.count("cancel.n", 50, 5);
        int modelCancels = options.count("cancel.model-n", 20, 3);
        int slots = options.integer("cancel.slots", Math.max(100, others + 50));
        BenchProcess worker = system.startWorker(AgentTasks.worker("worker-cancel", false,
                Map.of("keiko.worker.activity-task-slots", Integer.toString(slots))));

        // One task first: the worker fetches the tool list and opens its MCP session.
        system.awaitStatus(BenchSystem.taskId(system.submitHold("cancel-warm", 0)), "completed",
                Duration.ofSeconds(120));

        BenchSystem.say("cancel: starting " + others + " other tool tasks holding " + OTHER_HOLD_MILLIS + " ms");
        ConcurrentLinkedQueue<UUID> background = new ConcurrentLinkedQueue<>();
        Load.Result started = Load.run(others, 20, i -> {
            background.add(BenchSystem.taskId(system.submitTool(system.adminToken(), BenchSystem.TOOL_SERVER,
                    dev.keiko.bench.fakes.ToolFake.HOLD, Map.of("label", "other-" + i, "millis", OTHER_HOLD_MILLIS))));
            return true;
        });
        if (started.errors() > 0) {
            throw new IllegalStateException("Could not submit the other tasks: " + started.firstError());
        }
        await(() -> system.tool().stats().path("atOnce").asInt() >= others, Duration.ofSeconds(180),
                "the " + others + " other calls at the tool");

        Side tool = new Side();
        BenchSystem.say("cancel: " + toolCancels + " cancels of tool calls");
        for (int i = 0; i < toolCancels; i++) {
            cancelToolCall(system, "cancel-" + i, tool);
        }

        Side model = new Side();
        system.model().latency(Duration.ZERO).script(ModelFake.AgentScript.answerOnly("Done.")).holdRequests();
        BenchSystem.say("cancel: " + modelCancels + " cancels of model calls");
        for (int i = 0; i < modelCancels; i++) {
            cancelModelCall(system, model);
        }
        system.model().release();
        int stillHeld = system.tool().stats().path("atOnce").asInt();
        system.stopWorker(worker);

        List<Figure> figures = new ArrayList<>();
        tool.figures("tool call", figures);
        model.figures("model call", figures);
        figures.add(new Figure("other tool calls in flight at the tool during each tool cancel, min",
                Samples.min(tool.othersInFlight), "calls"));
        figures.add(new Figure("other tool calls in flight at the tool during each model cancel, min",
                Samples.min(model.othersInFlight), "calls"));
        figures.add(new Figure("other tool calls still in flight at the end", stillHeld, "calls"));

        List<Target> targets = new ArrayList<>();
        targets.add(Target.atMost("tool call: cancel to the call stopped at the tool, p95", BOUND_MILLIS,
                tool.p95(tool.stopped), "ms", tool.why("the tool fake recorded the MCP cancellation")));
        targets.add(Target.atMost("tool task: cancel to `cancelled` in the read model, p95", BOUND_MILLIS,
                tool.p95(tool.cancelled), "ms", tool.why("the read model showed `cancelled`")));
        targets.add(Target.atMost("model call: cancel to the call stopped at the model, p95", BOUND_MILLIS,
                model.p95(model.stopped), "ms", model.why("the model fake saw its caller go away")));
        targets.add(Target.atMost("agent task: cancel to `cancelled` in the read model, p95", BOUND_MILLIS,
                model.p95(model.cancelled), "ms", model.why("the read model showed `cancelled`")));

        List<String> notes = new ArrayList<>();
        notes.add(toolCancels + " tool-call cancels, then " + modelCancels + " model-call cancels, one at a time:"
                + " submit the task, wait until its call is at the fake, then `POST .../cancel` (answered 202) and"
                + " wait for both ends. Meanwhile " + others + " other tool tasks hold `hold` calls of "
                + OTHER_HOLD_MILLIS / 1000 + " s at the tool fake (submitted first, counted in flight at the tool"
                + " before each cancel). One worker without sticky queues, its activity slots raised to " + slots
                + " (default 100) so that the others and the cancelled call fit at once.");
        notes.add("Tool side: tool tasks calling `hold` for " + TARGET_HOLD_MILLIS / 1000 + " s; the Node MCP"
                + " server records `cancelled` when Keiko's MCP client sends `notifications/cancelled` (epoch"
                + " milliseconds, the same clock as the bench's). Model side: agent tasks whose model call the"
                + " model fake holds, sending an SSE comment every 20 ms; it records the first comment that cannot"
                + " be written (the worker closed the stream), so it sees a stop up to 20 ms late.");
        notes.add("`cancelled` is seen in PostgreSQL's read model (the table the API's GET /tasks/{id} reads),"
                + " through LISTEN task_events and a read of the row, without polling the API.");
        if (tool.failures > 0 || model.failures > 0) {
            notes.add("Cancels without a measurement (the call was not seen to stop within " + SEEN_WAIT.toSeconds()
                    + " s, or the task did not become cancelled): tool " + tool.failures + ", model "
                    + model.failures + "; first: " + (tool.firstFailure != null ? tool.firstFailure
                            : model.firstFailure));
        }
        return new ScenarioResult(name(), measures(), figures, targets, notes);
    }

    private static void cancelToolCall(BenchSystem system, String label, Side side) {
        system.tool().reset();
        UUID id = BenchSystem.taskId(system.submitHold(label, TARGET_HOLD_MILLIS));
        await(() -> !AgentTasks.toolTimes(system.tool().stats(), "starts", label).isEmpty(), SEEN_WAIT,
                "the call " + label + " at the tool");
        side.othersInFlight.add((double) system.tool().stats().path("atOnce").asInt() - 1);
        long epoch = System.currentTimeMillis();
        long sent = System.nanoTime();
        Api.Response cancel = system.api().post("/api/v1/tasks/" + id + "/cancel", system.adminToken(), null);
        try {
            cancel.expect(202);
            side.post.add(cancel.nanos() / 1e6);
            TaskWatcher.Seen seen = system.awaitStatus(id, "cancelled", SEEN_WAIT);
            side.cancelled.add((seen.atNanos() - sent) / 1e6);
            long deadline = System.nanoTime() + SEEN_WAIT.toNanos();
            while (true) {
                JsonNode stats = system.tool().stats();
                List<Long> ends = AgentTasks.toolTimes(stats, "ends", label);
                if (!ends.isEmpty()) {
                    String how = AgentTasks.endedHow(stats, label);
                    side.stopped.add((double) (ends.get(0) - epoch));
                    side.how.merge(how, 1, Integer::sum);
                    side.history(system, id, epoch);
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the tool never saw " + label + " stop");
                }
                sleep(5);
            }
        } catch (RuntimeException e) {
            side.fail(label + ": " + e.getMessage());
        }
    }

    private static void cancelModelCall(BenchSystem system, Side side) {
        String marker = AgentTasks.marker();
        UUID id = BenchSystem.taskId(AgentTasks.submit(system, marker, 10, 300));
        await(() -> !system.model().arrivals(marker).isEmpty(), SEEN_WAIT, "the model call of " + marker);
        side.othersInFlight.add((double) system.tool().stats().path("atOnce").asInt());
        sleep(50);
        long epoch = System.currentTimeMillis();
        long sent = System.nanoTime();
        Api.Response cancel = system.api().post("/api/v1/tasks/" + id + "/cancel", system.adminToken(), null);
        try {
            cancel.expect(202);
            side.post.add(cancel.nanos() / 1e6);
            TaskWatcher.Seen seen = system.awaitStatus(id, "cancelled", SEEN_WAIT);
            side.cancelled.add((seen.atNanos() - sent) / 1e6);
            long deadline = System.nanoTime() + SEEN_WAIT.toNanos();
            Long left = system.model().callerLeftAt(marker);
            while (left == null && System.nanoTime() < deadline) {
                sleep(5);
                left = system.model().callerLeftAt(marker);
            }
            if (left == null) {
                throw new IllegalStateException("the model fake never saw the caller of " + marker + " leave");
            }
            side.stopped.add((left - sent) / 1e6);
            side.how.merge("caller left", 1, Integer::sum);
            side.history(system, id, epoch);
        } catch (RuntimeException e) {
            side.fail(marker + ": " + e.getMessage());
        }
    }

    private static void await(Supplier<Boolean> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Did not see " + what + " within " + timeout);
            }
            sleep(10);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One kind of cancel's measurements. */
    private static final class Side {
        final List<Double> post = new ArrayList<>();
        final List<Double> stopped = new ArrayList<>();
        final List<Double> cancelled = new ArrayList<>();
        final List<Double> othersInFlight = new ArrayList<>();
        final Map<String, Integer> how = new java.util.TreeMap<>();
        /** From the cancel's POST to events of the task's history (server clock, epoch ms). */
        final Map<String, List<Double>> events = new java.util.LinkedHashMap<>();

        void history(BenchSystem system, UUID id, long epoch) {
            try {
                History run = system.workflowClient().fetchHistory(AgentTasks.workflowId(id)).getHistory();
                List<Histories.Event> history = Histories.events(run);
                double requested = Histories.first(history, "WORKFLOW_EXECUTION_CANCEL_REQUESTED");
                add("cancel request recorded in the history", requested - epoch);
                add("next workflow task started", history.stream().filter(e -> e.at() >= requested
                        && e.type().equals("WORKFLOW_TASK_STARTED")).mapToDouble(Histories.Event::at).findFirst()
                        .orElse(Double.NaN) - epoch);
                add("workflow asked the call to stop (ACTIVITY_TASK_CANCEL_REQUESTED)",
                        Histories.first(history, "ACTIVITY_TASK_CANCEL_REQUESTED") - epoch);
                add("call's activity reported cancelled (ACTIVITY_TASK_CANCELED)",
                        Histories.first(history, "ACTIVITY_TASK_CANCELED") - epoch);
                // A cancelled task's outcome is an ordinary activity: as a local one it held back the workflow
                // task that asks the call to stop.
                add("outcome recorded (RecordOutcome activity completed)",
                        Histories.lastCompleted(run, "RecordOutcome") - epoch);
                add("workflow closed", history.get(history.size() - 1).at() - epoch);
            } catch (RuntimeException e) {
                BenchSystem.say("cancel: no history of " + id + ": " + e);
            }
        }

        private void add(String event, double millis) {
            if (!Double.isNaN(millis)) {
                events.computeIfAbsent(event, e -> new ArrayList<>()).add(millis);
            }
        }
        int failures;
        String firstFailure;

        void fail(String failure) {
            failures++;
            if (firstFailure == null) {
                firstFailure = failure;
            }
        }

        double p95(List<Double> values) {
            return Samples.percentile(values, 95);
        }

        void figures(String kind, List<Figure> figures) {
            figures.add(new Figure(kind + " cancels measured", stopped.size(), "cancels"));
            add(figures, kind + ": cancel to the call stopped at the fake", stopped);
            add(figures, kind + ": cancel to `cancelled` in the read model", cancelled);
            add(figures, kind + ": POST .../cancel answered", post);
            how.forEach((end, count) -> figures.add(new Figure(kind + " ends recorded as " + end, count,
                    "cancels")));
            events.forEach((event, values) -> figures.add(new Figure(kind + " history: cancel to " + event
                    + ", p50", Samples.median(values), "ms")));
        }

        private static void add(List<Figure> figures, String name, List<Double> values) {
            figures.add(new Figure(name + ", p50", Samples.median(values), "ms"));
            figures.add(new Figure(name + ", p95", Samples.percentile(values, 95), "ms"));
            figures.add(new Figure(name + ", max", Samples.max(values), "ms"));
        }

        String why(String end) {
            StringBuilder why = new StringBuilder("p95 ").append(Report.number(p95(stopped)))
                    .append(" ms to the call stopped, ").append(Report.number(p95(cancelled)))
                    .append(" ms to `cancelled` (p50 ").append(Report.number(Samples.median(stopped))).append(" / ")
                    .append(Report.number(Samples.median(cancelled))).append(" ms) before ").append(end)
                    .append(". The API answers the POST once the task has ended (TaskManagement.cancel awaits its end,"
                            + " up to 2 s), so its p50 of ")
                    .append(Report.number(Samples.median(post))).append(" ms is that same path. Medians from the cancel"
                            + " to each history event: ");
            List<String> parts = new ArrayList<>();
            events.forEach((event, values) -> parts.add(event + " " + Report.number(Samples.median(values)) + " ms"));
            return why.append(String.join(", ", parts)).append(". A cancel reaches a running activity only in the"
                    + " answer to one of its heartbeats, which the worker sends at most every 100 ms"
                    + " (`keiko.worker.max-heartbeat-throttle-interval`); the activity wakes on the SDK's"
                    + " cancellation token as that answer arrives. Before that the workflow needs a workflow task,"
                    + " which without sticky queues replays the history. What would meet it: sticky queues on a"
                    + " server that redelivers a dead worker's sticky tasks (the workflow's turn), and a shorter"
                    + " heartbeat throttle at the cost of more heartbeats for Temporal per call held.").toString();
        }
    }
}
