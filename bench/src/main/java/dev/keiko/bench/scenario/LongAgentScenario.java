package dev.keiko.bench.scenario;

import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.Report;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.system.BenchProcess;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.bench.system.TaskWatcher;
import dev.keiko.workflows.task.AgentTaskParameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An agent of 1,000 steps (the model asks for a tool call 999 times, then answers; model and tool answer at once),
 * on a worker with sticky queues and on one without: wall time per step, how it grows along the task, and the
 * largest history of its runs (it continues as new when a run's history grows long).
 */
final class LongAgentScenario implements Scenario {

    @Override
    public String name() {
        return "long-agent";
    }

    @Override
    public String measures() {
        return "Long agents: one agent task of 1,000 model calls (999 tool calls, then a final answer; model and"
                + " tool answer at once) with sticky queues and without: wall time per step, the time per step early"
                + " and late in the task, and its runs' histories (events and bytes, across continue-as-new).";
    }

    @Override
    public ScenarioResult run(BenchSystem system) {
        ScenarioOptions options = ScenarioOptions.current();
        int steps = Math.min(options.count("long-agent.steps", AgentTaskParameters.MAX_STEPS_LIMIT, 50),
                AgentTaskParameters.MAX_STEPS_LIMIT);
        long timeoutSeconds = options.integer("long-agent.timeout-s", 1800);
        List<Figure> figures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        system.model().latency(Duration.ZERO).script(AgentTasks.holdScript(steps - 1, 0));

        for (boolean sticky : new boolean[] {true, false}) {
            String mode = sticky ? "sticky queues" : "no sticky queues";
            String tag = " (" + mode + ")";
            BenchProcess worker = system.startWorker(AgentTasks.worker(
                    "worker-long-" + (sticky ? "sticky" : "nonsticky"), sticky, Map.of()));
            // A short agent first: the worker fetches the tool list and opens its clients.
            system.model().script(AgentTasks.holdScript(1, 0));
            system.awaitStatus(BenchSystem.taskId(AgentTasks.submit(system, AgentTasks.marker(), 3, 120)),
                    "completed", Duration.ofSeconds(120));
            system.model().script(AgentTasks.holdScript(steps - 1, 0));

            String marker = AgentTasks.marker();
            long cpuBefore = worker.cpuMillis();
            long temporalCpuBefore = system.temporal().cpuMillis();
            long sent = System.nanoTime();
            UUID taskId = BenchSystem.taskId(AgentTasks.submit(system, marker, steps, timeoutSeconds));
            BenchSystem.say("long-agent (" + mode + "): task " + taskId + ", " + steps + " steps");
            CompletableFuture<TaskWatcher.Seen> completed = system.watcher().watch(taskId, "completed");
            TaskWatcher.Seen seen = null;
            String failure = null;
            long deadline = sent + TimeUnit.SECONDS.toNanos(timeoutSeconds + 60);
            while (seen == null && failure == null) {
                try {
                    seen = completed.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    BenchSystem.say("long-agent (" + mode + "): " + system.model().arrivals(marker).size()
                            + " model calls after " + (System.nanoTime() - sent) / 1_000_000_000 + " s");
                    if (System.nanoTime() > deadline) {
                        failure = "not completed within " + (timeoutSeconds + 60) + " s";
                    }
                } catch (Exception e) {
                    failure = e.getCause() == null ? e.toString() : e.getCause().getMessage();
                }
            }
            long end = seen != null ? seen.atNanos() : System.nanoTime();
            List<Long> arrivals = system.model().arrivals(marker);
            double wallSeconds = (end - sent) / 1e9;
            int reached = arrivals.size();
            double perStep = wallSeconds * 1000 / Math.max(1, reached);
            figures.add(new Figure("model calls made" + tag, reached, "steps"));
            figures.add(new Figure("wall time" + tag, wallSeconds, "s"));
            figures.add(new Figure("wall time per step" + tag, perStep, "ms"));
            int window = Math.max(1, Math.min(100, reached / 5));
            if (reached > 2 * window) {
                figures.add(new Figure("time per step, first " + window + " steps" + tag,
                        (arrivals.get(window) - arrivals.get(0)) / 1e6 / window, "ms"));
                figures.add(new Figure("time per step, last " + window + " steps" + tag,
                        (arrivals.get(reached - 1) - arrivals.get(reached - 1 - window)) / 1e6 / window, "ms"));
            }
            figures.add(new Figure("worker CPU per step" + tag,
                    (worker.cpuMillis() - cpuBefore) / (double) Math.max(1, reached), "ms"));
            figures.add(new Figure("Temporal server CPU per step" + tag,
                    (system.temporal().cpuMillis() - temporalCpuBefore) / (double) Math.max(1, reached), "ms"));
            try {
                Histories.Summary history = Histories.of(system.workflowClient(), AgentTasks.workflowId(taskId));
                Histories.Run byEvents = history.largestByEvents();
                Histories.Run byBytes = history.largestByBytes();
                figures.add(new Figure("runs (continue-as-new)" + tag, history.runs().size(), "runs"));
                figures.add(new Figure("largest run's history, events" + tag, byEvents.events(), "events"));
                figures.add(new Figure("largest run's history, bytes" + tag, byBytes.bytes() / 1024.0, "KiB"));
                figures.add(new Figure("all runs' history, events" + tag, history.totalEvents(), "events"));
                figures.add(new Figure("all runs' history, bytes" + tag, history.totalBytes() / 1024.0, "KiB"));
                Histories.Phase wft = history.phases().get("workflow task: on the worker (started to completed)");
                if (wft != null) {
                    figures.add(new Figure("workflow tasks" + tag, wft.count(), "tasks"));
                }
                figures.add(new Figure("activities" + tag, history.activities().size(), "activities"));
                figures.add(new Figure("time with no activity scheduled or running, per step" + tag,
                        history.withoutActivities() / Math.max(1, reached), "ms"));
                notes.add("Runs" + tag + " (events / KiB): " + history.runs().stream()
                        .map(r -> r.events() + " / " + Report.number(r.bytes() / 1024.0)).toList());
            } catch (RuntimeException e) {
                notes.add("No history" + tag + ": " + e);
            }
            if (failure != null) {
                notes.add("The task" + tag + " did not complete: " + failure + "; figures cover the " + reached
                        + " model calls it made.");
            }
            system.stopWorker(worker);
        }
        notes.add("One agent task of " + steps + " model calls (`maxSteps` " + steps + "; Keiko allows 1–"
                + AgentTaskParameters.MAX_STEPS_LIMIT + "), the model fake asking for one `hold` call of 0 ms per"
                + " answer and answering with text at the last; timeout " + timeoutSeconds + " s. First a worker"
                + " with the SDK's sticky queues (schedule-to-start 5 s), then a fresh one without"
                + " (`keiko.worker.sticky-queue-schedule-to-start-timeout=0s`, as the dev system runs), each after"
                + " a short warm-up agent. A step is one model call and the tool call it asks for; time per step"
                + " early and late is measured between the model fake's request arrivals.");
        notes.add("The prompt carries the whole conversation: the model request and the model call's activity"
                + " input grow with every step, so later steps cost more in the worker, the server and the"
                + " history; Keiko continues an agent's run as new past 4,000 events or 4 MiB of history"
                + " (AgentTask.HISTORY_EVENTS_PER_RUN / HISTORY_BYTES_PER_RUN).");
        return new ScenarioResult(name(), measures(), figures, List.of(), notes);
    }
}
