package dev.keiko.api.observability;

import dev.keiko.api.search.NamespaceSearchAttributes;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.workflows.search.KeikoSearchAttributes;
import dev.keiko.workflows.task.TaskStatuses;
import io.micrometer.core.instrument.Gauge;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gauge {@code keiko.approvals.waiting}: the tasks waiting for an approval now. The read model keeps no such
 * status, so every {@code keiko.api.approvals-waiting-refresh} (15 s) it asks Temporal's visibility in one call
 * to count the running task workflows with {@code KeikoStatus = awaiting_approval}. A server without visibility
 * queries (the embedded dev server) answers UNIMPLEMENTED; then it takes the running agent tasks that may wait
 * for one from PostgreSQL (at most {@value #MAX_TASKS}; more, and the value is NaN rather than short) and
 * describes each. Either way it is right after any worker's restart, and a terminated workflow no longer counts.
 * A scrape reads the last value, never a query. Without Keiko's search attributes the value is NaN, as it is
 * while the last refresh failed. Every API process reports the same count: aggregate with {@code max}.
 */
@Component
class ApprovalsWaiting {

    static final String METER = "keiko.approvals.waiting";
    static final int MAX_TASKS = 1000;
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(ApprovalsWaiting.class);

    private final TaskStore tasks;
    private final WorkflowClient client;
    private final NamespaceSearchAttributes searchAttributes;
    static final String WAITING_QUERY = "KeikoKind = 'task' AND KeikoStatus = 'awaiting_approval'"
            + " AND ExecutionStatus = 'Running'";

    private volatile double waiting = Double.NaN;
    private volatile boolean visibilityQueries = true;

    ApprovalsWaiting(TaskStore tasks, WorkflowClient client, NamespaceSearchAttributes searchAttributes,
            MeterRegistry registry) {
        this.tasks = tasks;
        this.client = client;
        this.searchAttributes = searchAttributes;
        Gauge.builder(METER, this, ApprovalsWaiting::value).strongReference(true)
                .description("Tasks waiting for an approval (refreshed every 15 s)").register(registry);
    }

    double value() {
        return waiting;
    }

    @Scheduled(fixedDelayString = "${keiko.api.approvals-waiting-refresh:15s}")
    void refresh() {
        try {
            if (!searchAttributes.registered()) {
                waiting = Double.NaN;
                return;
            }
            if (visibilityQueries) {
                try {
                    waiting = client.countWorkflows(WAITING_QUERY).getCount();
                    return;
                } catch (RuntimeException e) {
                    if (Status.fromThrowable(e).getCode() != Status.Code.UNIMPLEMENTED) {
                        throw e;
                    }
                    visibilityQueries = false;
                    log.info("Temporal counts no workflows here (no visibility queries): keiko.approvals.waiting"
                            + " describes the candidate tasks instead");
                }
            }
            List<String> candidates = tasks.runningWithApprovals(MAX_TASKS + 1).collectList().block(QUERY_TIMEOUT);
            if (candidates != null && candidates.size() > MAX_TASKS) {
                waiting = Double.NaN;
                log.warn("More than {} running tasks may wait for approval: keiko.approvals.waiting is not counted"
                        + " without visibility queries", MAX_TASKS);
                return;
            }
            waiting = candidates == null ? 0 : candidates.stream().filter(this::awaitsApproval).count();
        } catch (RuntimeException e) {
            waiting = Double.NaN;
            log.warn("Could not count the tasks waiting for approval: {}", e.toString());
        }
    }

    private boolean awaitsApproval(String workflowId) {
        try {
            WorkflowExecutionDescription workflow = client.newUntypedWorkflowStub(workflowId).describe();
            return workflow.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                    && TaskStatuses.AWAITING_APPROVAL.equals(
                            workflow.getTypedSearchAttributes().get(KeikoSearchAttributes.STATUS));
        } catch (WorkflowNotFoundException e) {
            return false;
        }
    }
}
