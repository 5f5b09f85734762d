package dev.keiko.workflows.task;

import dev.keiko.workflows.tool.ToolActivities;
import dev.keiko.workflows.tool.ToolCallInput;
import dev.keiko.workflows.tool.ToolCallOutput;
import dev.keiko.workflows.tool.ToolFailureTypes;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

public class TaskWorkflowImpl implements TaskWorkflow {

    private static final Logger log = Workflow.getLogger(TaskWorkflowImpl.class);

    static final Duration TOOL_HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);

    private final TaskRecordActivities records = Workflow.newActivityStub(TaskRecordActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10))
                    .setRetryOptions(RetryOptions.newBuilder()
                            .setInitialInterval(Duration.ofMillis(500))
                            .setMaximumInterval(Duration.ofSeconds(10))
                            .setDoNotRetry(TaskRecordActivities.MISSING_TASK)
                            .build())
                    .build());

    private TaskProgress progress = new TaskProgress("pending", null, 0);
    private Promise<TaskResult> work;

    @Override
    public TaskWorkflowOutput run(TaskWorkflowInput input) {
        long startedAt = Workflow.currentTimeMillis();
        TaskResult result;
        CanceledFailure cancellation = null;
        CancellationScope scope = Workflow.newCancellationScope(() -> work = Async.function(this::execute, input));
        try {
            records.markRunning(new MarkTaskRunningInput(input.taskId(), startedAt));
            setProgress("running", progress.step());
            scope.run();
            boolean finished = Workflow.await(Duration.ofSeconds(input.timeoutSeconds()), work::isCompleted);
            if (finished) {
                result = work.get();
            } else {
                scope.cancel("task timed out");
                result = failure(TaskErrorTypes.TIMEOUT,
                        "Task timed out after " + input.timeoutSeconds() + " s", startedAt, progress.step());
            }
        } catch (CanceledFailure e) {
            cancellation = e;
            result = failure(TaskErrorTypes.CANCELLED, "Task was cancelled", startedAt, progress.step());
        } catch (ActivityFailure e) {
            if (e.getCause() instanceof CanceledFailure canceled && CancellationScope.current().isCancelRequested()) {
                cancellation = canceled;
                result = failure(TaskErrorTypes.CANCELLED, "Task was cancelled", startedAt, progress.step());
            } else {
                result = failure(errorType(e), errorMessage(e), startedAt, progress.step());
            }
        }
        TaskResult outcome = result.success() ? withTime(result, startedAt) : result;
        String status = cancellation != null ? "cancelled" : outcome.success() ? "completed" : "failed";
        // A cancelled workflow's own scope is cancelled: record the outcome from a detached one.
        Workflow.newDetachedCancellationScope(() -> records.recordOutcome(
                new RecordTaskOutcomeInput(input.taskId(), status, outcome, Workflow.currentTimeMillis()))).run();
        setProgress(status, progress.step());
        log.info("task {} ended {}", input.taskId(), status);

        if (cancellation != null) {
            throw cancellation;
        }
        if (!outcome.success()) {
            throw ApplicationFailure.newNonRetryableFailure(outcome.errorMessage(), outcome.errorType());
        }
        return new TaskWorkflowOutput(outcome);
    }

    @Override
    public TaskProgress progress() {
        return progress;
    }

    private TaskResult execute(TaskWorkflowInput input) {
        return switch (input.type()) {
            case TaskTypes.TOOL -> runTool(input);
            default -> TaskResult.failure(TaskErrorTypes.UNKNOWN_TASK_TYPE,
                    "Unknown task type '" + input.type() + "'", 0, Map.of());
        };
    }

    private TaskResult runTool(TaskWorkflowInput input) {
        ToolTaskParameters parameters = ToolTaskParameters.from(input.parameters());
        if (parameters == null) {
            return TaskResult.failure(TaskErrorTypes.INVALID_PARAMETERS,
                    "A tool task needs the parameters 'server' and 'tool' as strings and 'arguments' as an object",
                    0, Map.of());
        }
        String step = "tool: " + parameters.server() + "/" + parameters.tool();
        setProgress("running", step);
        ToolActivities tools = Workflow.newActivityStub(ToolActivities.class, toolOptions(input, step));
        ToolCallOutput output = tools.callTool(new ToolCallInput(
                input.taskId(), parameters.server(), parameters.tool(), parameters.arguments()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("content", output.content());
        if (output.structuredContent() != null) {
            data.put("structuredContent", output.structuredContent());
        }
        return TaskResult.success(data, 0, metadata(step));
    }

    private static ActivityOptions toolOptions(TaskWorkflowInput input, String step) {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(input.timeoutSeconds()))
                .setHeartbeatTimeout(TOOL_HEARTBEAT_TIMEOUT)
                .setCancellationType(ActivityCancellationType.TRY_CANCEL)
                .setSummary(step)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setBackoffCoefficient(2)
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .setMaximumAttempts(5)
                        .setDoNotRetry(ToolFailureTypes.NON_RETRYABLE.toArray(String[]::new))
                        .build())
                .build();
    }

    private void setProgress(String status, String step) {
        progress = new TaskProgress(status, step, Workflow.currentTimeMillis());
    }

    private static TaskResult withTime(TaskResult result, long startedAt) {
        return new TaskResult(result.success(), result.data(), result.errorMessage(), result.errorType(),
                seconds(startedAt), result.metadata());
    }

    private static TaskResult failure(String type, String message, long startedAt, String step) {
        return TaskResult.failure(type, message, seconds(startedAt), metadata(step));
    }

    private static double seconds(long startedAt) {
        return (Workflow.currentTimeMillis() - startedAt) / 1000.0;
    }

    private static Map<String, Object> metadata(String step) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("workflowId", Workflow.getInfo().getWorkflowId());
        if (step != null) {
            metadata.put("step", step);
        }
        return metadata;
    }

    private static String errorType(ActivityFailure failure) {
        if (failure.getCause() instanceof ApplicationFailure application) {
            return application.getType();
        }
        return TaskErrorTypes.ACTIVITY_FAILED;
    }

    private static String errorMessage(ActivityFailure failure) {
        if (failure.getCause() instanceof ApplicationFailure application) {
            return application.getOriginalMessage();
        }
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage();
    }
}
