package dev.keiko.workflows.task;

import dev.keiko.workflows.tool.ToolActivities;
import dev.keiko.workflows.tool.ToolCallInput;
import dev.keiko.workflows.tool.ToolCallOutput;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a {@link TaskTypes#TOOL} task inside the task workflow: one MCP tool call as an activity. */
final class ToolTask implements TaskRunner {

    private final StepListener listener;
    private String step;

    ToolTask(StepListener listener) {
        this.listener = listener;
    }

    @Override
    public TaskOutcome run(TaskWorkflowInput input, long startedAt) {
        ToolTaskParameters parameters = ToolTaskParameters.from(input.parameters());
        String name = StepLabels.toolCall(parameters.server(), parameters.tool());
        listener.started(name);
        step = name;
        ToolActivities tools = Workflow.newActivityStub(ToolActivities.class,
                TaskActivityOptions.toolCall(input.timeoutSeconds(), name,
                        TaskActivityOptions.agentPolicy(input)));
        ToolCallOutput output = tools.callTool(new ToolCallInput(
                input.taskId(), parameters.server(), parameters.tool(), parameters.arguments(), null,
                TaskActivityOptions.agentId(input)));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("content", output.content());
        if (output.structuredContent() != null) {
            data.put("structuredContent", output.structuredContent());
        }
        if (output.truncated()) {
            data.put("truncated", true);
        }
        return new TaskOutcome.Completed(data, metadata());
    }

    @Override
    public RunMetadata metadata() {
        return new RunMetadata(step, null, null, List.of());
    }
}
