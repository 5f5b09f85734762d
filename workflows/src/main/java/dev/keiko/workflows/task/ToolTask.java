package dev.keiko.workflows.task;

import dev.keiko.workflows.TemporalLimits;
import dev.keiko.workflows.tool.ToolActivities;
import dev.keiko.workflows.tool.ToolCallInput;
import dev.keiko.workflows.tool.ToolCallOutput;
import dev.keiko.workflows.tool.ToolFailureTypes;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Runs a {@link TaskTypes#TOOL} task inside the task workflow: one MCP tool call as an activity. */
final class ToolTask {

    static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);

    private final Consumer<String> step;

    ToolTask(Consumer<String> step) {
        this.step = step;
    }

    Map<String, Object> run(TaskWorkflowInput input, Map<String, Object> metadata) {
        ToolTaskParameters parameters = ToolTaskParameters.from(input.parameters());
        String name = "tool: " + parameters.server() + "/" + parameters.tool();
        step.accept(name);
        metadata.put("step", name);
        ToolActivities tools = Workflow.newActivityStub(ToolActivities.class, options(input.timeoutSeconds(), name));
        ToolCallOutput output = tools.callTool(new ToolCallInput(
                input.taskId(), parameters.server(), parameters.tool(), parameters.arguments()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("content", output.content());
        if (output.structuredContent() != null) {
            data.put("structuredContent", output.structuredContent());
        }
        if (output.truncated()) {
            data.put("truncated", true);
        }
        return data;
    }

    static ActivityOptions options(long timeoutSeconds, String summary) {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(timeoutSeconds))
                .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
                .setCancellationType(ActivityCancellationType.TRY_CANCEL)
                .setSummary(TemporalLimits.summary(summary))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setBackoffCoefficient(2)
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .setMaximumAttempts(5)
                        .setDoNotRetry(ToolFailureTypes.NON_RETRYABLE.toArray(String[]::new))
                        .build())
                .build();
    }
}
