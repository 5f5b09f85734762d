package dev.keiko.worker;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;
import java.util.function.Supplier;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Puts {@code workflowId} and, for a task's workflow ({@code task-<id>}), {@code taskId} in the logging
 * context (MDC) of every activity and of a workflow's main method, and takes them out again afterwards,
 * so that each log line says which task it is about (structured logs carry them as fields). Workflows log
 * through {@code Workflow.getLogger}, which stays quiet during replay; Temporal adds its own
 * {@code WorkflowId}, {@code RunId} and, in activities, {@code ActivityType} and {@code Attempt}.
 */
@Component
class TaskLoggingContext extends WorkerInterceptorBase {

    static final String TASK_ID = "taskId";
    static final String WORKFLOW_ID = "workflowId";
    private static final String TASK_PREFIX = "task-";

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new ActivityInboundCallsInterceptorBase(next) {

            private String workflowId;

            @Override
            public void init(ActivityExecutionContext context) {
                workflowId = context.getInfo().getWorkflowId();
                super.init(context);
            }

            @Override
            public ActivityOutput execute(ActivityInput input) {
                return within(workflowId, () -> super.execute(input));
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
        if (workflowId.startsWith(TASK_PREFIX)) {
            MDC.put(TASK_ID, workflowId.substring(TASK_PREFIX.length()));
        }
        try {
            return work.get();
        } finally {
            MDC.remove(WORKFLOW_ID);
            MDC.remove(TASK_ID);
        }
    }
}
