package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.workflows.TaskQueues;
import dev.keiko.workflows.task.TaskErrorTypes;
import dev.keiko.workflows.task.TaskWorkflowInput;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every task workflow has an execution timeout, its task's timeout plus the execution grace, and the
 * repair fails a task whose workflow passed it. No worker runs in these tests, so the workflows never
 * record an outcome themselves.
 */
class TaskTimeoutTest extends ApiTestSupport {

    @Autowired
    WorkflowClient client;

    @Autowired
    TaskStore tasks;

    @Autowired
    TaskWorkflows workflows;

    @Autowired
    TaskWorkflowLabels labels;

    @Autowired
    TaskStarter starter;

    @Autowired
    TaskOutcomes outcomes;

    @Autowired
    TaskProperties properties;

    @Autowired
    JsonMapper json;

    @Test
    void aTaskWorkflowsExecutionTimeoutIsTheTaskTimeoutPlusTheGrace() {
        Task task = newTask(60, Map.of("server", "s", "tool", "t"));

        workflows.start(task, TaskManagement.summary(task)).block();

        var started = client.fetchHistory(task.workflowId()).getEvents().getFirst()
                .getWorkflowExecutionStartedEventAttributes();
        assertThat(properties.executionGrace()).isEqualTo(Duration.ofMinutes(5));
        assertThat(started.getWorkflowExecutionTimeout().getSeconds()).isEqualTo(60 + 300);
    }

    @Test
    void theRepairFailsATaskWhoseWorkflowTemporalTimedOutWithTimeout() {
        Task task = newTask(1, Map.of("server", "s", "tool", "t"));
        new TaskWorkflows(client, json, Duration.ofSeconds(1), labels).start(task, "tool: s/t").block();

        await().atMost(Duration.ofSeconds(15)).until(() -> client.newUntypedWorkflowStub(task.workflowId())
                .describe().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT);
        repairOfAnyAge().repairOnce().block();

        Task repaired = tasks.findById(task.id()).block();
        assertThat(repaired.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(repaired.result().get("errorType").asString()).isEqualTo(TaskErrorTypes.TIMEOUT);
    }

    @Test
    void theRepairTerminatesAWorkflowStillRunningPastTheTaskTimeoutPlusTheGraceAndFailsTheTask() {
        Task task = newTask(60, Map.of("server", "s", "tool", "t"));
        // As an API without execution timeouts started it: nothing in Temporal ever ends it.
        client.newUntypedWorkflowStub("TaskWorkflow", WorkflowOptions.newBuilder()
                        .setWorkflowId(task.workflowId()).setTaskQueue(TaskQueues.TASKS).build())
                .start(new TaskWorkflowInput(task.id().toString(), task.type(), Map.of(), task.timeoutSeconds()));
        tasks.markRunning(task.id(), Instant.now().minus(Duration.ofMinutes(10))).block();

        repairOfAnyAge().repairOnce().block();

        assertThat(client.newUntypedWorkflowStub(task.workflowId()).describe().getStatus())
                .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
        Task repaired = tasks.findById(task.id()).block();
        assertThat(repaired.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(repaired.result().get("errorType").asString()).isEqualTo(TaskErrorTypes.TIMEOUT);
    }

    @Test
    void theRepairLeavesARunningTaskAloneWithinItsTimeoutPlusTheGrace() {
        Task task = newTask(60, Map.of("server", "s", "tool", "t"));
        workflows.start(task, TaskManagement.summary(task)).block();
        // Past its own timeout (a suspect), but not past the grace: the workflow may still record it.
        tasks.markRunning(task.id(), Instant.now().minus(Duration.ofMinutes(3))).block();

        repairOfAnyAge().repairOnce().block();

        assertThat(client.newUntypedWorkflowStub(task.workflowId()).describe().getStatus())
                .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        assertThat(tasks.findById(task.id()).block().status()).isEqualTo(TaskStatus.RUNNING);
    }

    @Test
    void aPendingTaskWhoseWorkflowRunsIsCheckedOncePerRecheckIntervalAndFailedOnceItsWorkflowEnded() {
        Task task = newTask(60, Map.of("server", "s", "tool", "t"));
        // No worker: the workflow runs and the task stays pending, as behind a backlog or in an agent's line.
        workflows.start(task, TaskManagement.summary(task)).block();
        List<String> described = new CopyOnWriteArrayList<>();
        TaskWorkflows reading = new TaskWorkflows(RecordingClients.recordingDescribes(client, described), json, properties.executionGrace(), labels);
        TaskRepair repair = new TaskRepair(tasks, reading, starter, outcomes, new TaskProperties(
                properties.defaultTimeout(), properties.maxTimeout(), Duration.ZERO, Duration.ofSeconds(3),
                properties.executionGrace()));

        repair.repairOnce().block();
        repair.repairOnce().block();
        repair.repairOnce().block();

        assertThat(described).filteredOn(task.workflowId()::equals).hasSize(1);
        client.newUntypedWorkflowStub(task.workflowId()).terminate("terminated in the Web UI");
        repair.repairOnce().block();
        assertThat(tasks.findById(task.id()).block().status()).isEqualTo(TaskStatus.PENDING);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            repair.repairOnce().block();
            assertThat(tasks.findById(task.id()).block().status()).isEqualTo(TaskStatus.FAILED);
        });
        assertThat(tasks.findById(task.id()).block().result().get("errorType").asString())
                .isEqualTo(TaskRepair.WORKFLOW_ENDED);
        assertThat(described).filteredOn(task.workflowId()::equals).hasSize(2);
    }

    @Test
    void theStartedSummaryOfALongNameIsCutToTemporalsLimit() {
        Task task = newTask(60, Map.of("server", "\u00e9".repeat(600), "tool", "t"));

        workflows.start(task, TaskManagement.summary(task)).block();

        var summary = client.fetchHistory(task.workflowId()).getEvents().getFirst().getUserMetadata().getSummary();
        assertThat(summary.getSerializedSize()).isLessThanOrEqualTo(400);
        assertThat(HistoryPayloads.decode(client, task.workflowId(), summary, String.class))
                .startsWith("tool: \u00e9\u00e9").endsWith("\u00e9\u2026");
    }

    private TaskRepair repairOfAnyAge() {
        TaskProperties anyAge = new TaskProperties(properties.defaultTimeout(), properties.maxTimeout(),
                Duration.ZERO, properties.pendingRecheckInterval(), properties.executionGrace());
        return new TaskRepair(tasks, workflows, starter, outcomes, anyAge);
    }

    private Task newTask(int timeoutSeconds, Map<String, Object> parameters) {
        TestUser user = createUser(Role.USER);
        return tasks.insert(new NewTask(user.id(), "tool", json.valueToTree(parameters), TaskPriority.NORMAL,
                timeoutSeconds, null, "h")).block().task();
    }
}
