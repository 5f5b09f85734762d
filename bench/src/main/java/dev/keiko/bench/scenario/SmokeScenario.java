package dev.keiko.bench.scenario;

import dev.keiko.bench.fakes.ModelFake;
import dev.keiko.bench.fakes.ToolFake;
import dev.keiko.bench.report.Figure;
import dev.keiko.bench.report.ScenarioResult;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.bench.system.TaskWatcher;
import dev.keiko.bench.system.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The harness itself, end to end: one tool task and one agent task (two tool calls, then an answer) through the API,
 * a worker, the model fake and the tool fake. Not part of {@code all}: run it with {@code -Dbench=smoke}.
 */
final class SmokeScenario implements Scenario {

    @Override
    public String name() {
        return "smoke";
    }

    @Override
    public String measures() {
        return "That the harness works: one tool task and one agent task (two tool calls) complete, and the fakes"
                + " saw their calls.";
    }

    @Override
    public ScenarioResult run(BenchSystem system) {
        system.startWorker(WorkerOptions.named("worker-smoke"));
        long started = System.nanoTime();
        TaskWatcher.Seen tool = system.awaitStatus(BenchSystem.taskId(system.submitHold("smoke-tool", 5)),
                "completed", Duration.ofSeconds(60));
        double toolMillis = (tool.atNanos() - started) / 1e6;

        String marker = ModelFake.marker(UUID.randomUUID());
        system.model().latency(Duration.ofMillis(10)).script(new ModelFake.AgentScript(2,
                BenchSystem.TOOL_SERVER + "__" + ToolFake.HOLD,
                (m, step) -> "{\"label\":\"" + m + "-" + step + "\",\"millis\":5}", "Done."));
        long agentStarted = System.nanoTime();
        TaskWatcher.Seen agent = system.awaitStatus(BenchSystem.taskId(system.submitAgent(marker, 5)), "completed",
                Duration.ofSeconds(60));
        double agentMillis = (agent.atNanos() - agentStarted) / 1e6;
        int modelCalls = system.model().arrivals(marker).size();
        long toolCalls = system.tool().stats().path("starts").valueStream()
                .filter(start -> start.path("label").asString("").startsWith(marker)).count();
        if (modelCalls != 3 || toolCalls != 2) {
            throw new IllegalStateException("The agent made " + modelCalls + " model calls and " + toolCalls
                    + " tool calls; expected 3 and 2");
        }
        return new ScenarioResult(name(), measures(), List.of(
                new Figure("tool task, submission to completed", toolMillis, "ms"),
                new Figure("agent task (3 model calls of 10 ms, 2 tool calls of 5 ms), submission to completed",
                        agentMillis, "ms"),
                new Figure("agent's model calls seen by the model fake", modelCalls, "calls"),
                new Figure("agent's tool calls seen by the tool fake", toolCalls, "calls")),
                List.of(), List.of("One of each, on a system started for it: a check, not a measurement."));
    }
}
