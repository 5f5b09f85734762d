package dev.keiko.bench.scenario;

import dev.keiko.bench.fakes.ModelFake;
import dev.keiko.bench.fakes.ToolFake;
import dev.keiko.bench.system.Api;
import dev.keiko.bench.system.BenchSystem;
import dev.keiko.bench.system.WorkerOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Agent tasks and scripts the overhead, cancel, capacity and long-agent scenarios share. */
final class AgentTasks {

    /** The function name Keiko offers the tool fake's {@code hold} under. */
    static final String HOLD_FUNCTION = BenchSystem.TOOL_SERVER + "__" + ToolFake.HOLD;

    private static final Pattern LABEL = Pattern.compile("\"label\"\\s*:\\s*\"([^\"]+)\"");

    private AgentTasks() {
    }

    /** A model script of {@code toolCalls} calls of {@code hold} for {@code toolMillis}, labelled with the marker. */
    static ModelFake.AgentScript holdScript(int toolCalls, long toolMillis) {
        return new ModelFake.AgentScript(toolCalls, HOLD_FUNCTION,
                (marker, step) -> "{\"label\":\"" + marker + "\",\"millis\":" + toolMillis + "}", "Done.");
    }

    /**
     * Submits an agent task whose goal carries {@code marker}, offered the tool fake's {@code hold}, with at most
     * {@code maxSteps} model calls and a timeout of {@code timeoutSeconds}.
     */
    static Api.Response submit(BenchSystem system, String marker, int maxSteps, long timeoutSeconds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "agent");
        body.put("parameters", Map.of("goal", "Benchmark task " + marker,
                "tools", List.of(BenchSystem.TOOL_SERVER + "/" + ToolFake.HOLD), "maxSteps", maxSteps));
        body.put("timeoutSeconds", timeoutSeconds);
        return system.api().post("/api/v1/tasks", system.adminToken(), body);
    }

    /** A fresh marker for a task's prompt. */
    static String marker() {
        return ModelFake.marker(UUID.randomUUID());
    }

    /** The workflow id of a task. */
    static String workflowId(UUID taskId) {
        return dev.keiko.workflows.task.TaskWorkflowIds.forTask(taskId.toString());
    }

    /** The epoch milliseconds of the tool fake's records labelled {@code label} in {@code list} (starts or ends). */
    static List<Long> toolTimes(JsonNode stats, String list, String label) {
        List<Long> times = new java.util.ArrayList<>();
        for (JsonNode entry : stats.path(list)) {
            if (label.equals(entry.path("label").asString(""))) {
                times.add(entry.path("at").asLong());
            }
        }
        return times;
    }

    /** How a record of {@code label} in the tool fake's ends ended, or null if it has not. */
    static String endedHow(JsonNode stats, String label) {
        for (JsonNode entry : stats.path("ends")) {
            if (label.equals(entry.path("label").asString(""))) {
                return entry.path("how").asString();
            }
        }
        return null;
    }

    static String label(String arguments) {
        Matcher found = LABEL.matcher(arguments);
        return found.find() ? found.group(1) : null;
    }

    /** A worker named {@code name}, sticky or not, with more properties. */
    static WorkerOptions worker(String name, boolean sticky, Map<String, String> properties) {
        return WorkerOptions.named(name).withSticky(sticky).withProperties(properties);
    }

    /** Converts {@link System#nanoTime()} readings to epoch milliseconds, from one reading of both clocks. */
    static final class Clock {
        private final long nanos = System.nanoTime();
        private final long epochMillis = System.currentTimeMillis();

        double epochMillis(long nanoTime) {
            return epochMillis + (nanoTime - nanos) / 1e6;
        }
    }
}
