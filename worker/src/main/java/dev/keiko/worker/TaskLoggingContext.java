package dev.keiko.worker;

import dev.keiko.workflows.task.TaskWorkflowIds;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCanceledException;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Puts {@code workflowId} and, for a task's workflow ({@code task-<id>}), {@code taskId} in the logging
 * context (MDC) of every activity and of a workflow's main method, and takes them out again afterwards,
 * so that each log line says which task it is about (structured logs carry them as fields). Workflows log
 * through {@code Workflow.getLogger}, which stays quiet during replay; Temporal adds its own
 * {@code WorkflowId}, {@code RunId} and, in activities, {@code ActivityType} and {@code Attempt}.
 *
 * <p>It also logs each failed activity attempt by its failure's type, never its message: the SDK's own line
 * (turned off in {@code keiko-defaults.yml}) carries the message and stack trace, which may quote tool arguments
 * and outputs that Keiko keeps encrypted in history.
 */
@Component
class TaskLoggingContext extends WorkerInterceptorBase {

    private static final Logger log = LoggerFactory.getLogger(TaskLoggingContext.class);

    static final String TASK_ID = "taskId";
    static final String WORKFLOW_ID = "workflowId";

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new ActivityInboundCallsInterceptorBase(next) {

            private ActivityInfo info;

            @Override
            public void init(ActivityExecutionContext context) {
                info = context.getInfo();
                super.init(context);
            }

            @Override
            public ActivityOutput execute(ActivityInput input) {
                return within(info.getWorkflowId(), () -> {
                    try {
                        return super.execute(input);
                    } catch (ActivityCanceledException e) {
                        log.info("Activity {} of workflow {} attempt {} cancelled", info.getActivityType(),
                                info.getWorkflowId(), info.getAttempt());
                        throw e;
                    } catch (RuntimeException | Error e) {
                        log.warn("Activity {} of workflow {} attempt {} failed: {}", info.getActivityType(),
                                info.getWorkflowId(), info.getAttempt(),
                                e instanceof ApplicationFailure failure ? failure.getType() : e.getClass().getName());
                        throw e;
                    }
                });
            }
        };
    }

    @Override
    public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
        return new WorkflowInboundCallsInterceptorBase(next) {
            @Override
            public WorkflowOutput execute(WorkflowInput input) {
                return within(Workflow.getInfo().getWorkflowId(), () -> super.execute(input));
            }
        };
    }

    private static <T> T within(String workflowId, Supplier<T> work) {
        MDC.put(WORKFLOW_ID, workflowId);
        TaskWorkflowIds.taskId(workflowId).ifPresent(taskId -> MDC.put(TASK_ID, taskId));
        try {
            return work.get();
        } finally {
            MDC.remove(WORKFLOW_ID);
            MDC.remove(TASK_ID);
        }
    }
}
