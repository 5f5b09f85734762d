package dev.keiko.workflows.tool;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class ToolCatalogWorkflowImpl implements ToolCatalogWorkflow {

    private final ToolActivities tools = Workflow.newActivityStub(ToolActivities.class, ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setRetryOptions(RetryOptions.newBuilder()
                    .setMaximumAttempts(3)
                    .setDoNotRetry(ToolFailureTypes.NON_RETRYABLE.toArray(String[]::new))
                    .build())
            .build());

    @Override
    public ListToolsOutput listTools(ListToolsInput input) {
        return tools.listTools(input);
    }
}
