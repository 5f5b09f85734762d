package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/** The API starts workflows (no worker runs in these tests, so they stay pending) and repairs lost starts. */
class TaskStartTest extends ApiTestSupport {

    @Autowired
    WorkflowClient client;

    @Autowired
    TaskStore tasks;

    @Autowired
    TaskRepair repair;

    @Autowired
    DatabaseClient db;

    @Autowired
    JsonMapper json;

    @Test
    void aPendingTaskWhoseWorkflowNeverStartedIsStartedByTheRepair() {
        Task task = staleTaskWithoutWorkflow(TaskPriority.CRITICAL);

        assertThat(repair.repairOnce().block()).isPositive();

        var description = client.newUntypedWorkflowStub(task.workflowId()).describe();
        assertThat(description.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        assertThat(description.getWorkflowType()).isEqualTo("TaskWorkflow");
        var started = client.fetchHistory(task.workflowId()).getEvents().getFirst()
                .getWorkflowExecutionStartedEventAttributes();
        assertThat(started.getPriority().getPriorityKey()).isEqualTo(TaskPriority.CRITICAL.temporalPriorityKey());
        assertThat(started.getTaskQueue().getName()).isEqualTo("keiko-tasks");
    }

    @Test
    void theRepairPagesThroughEverySuspect() {
        List<Task> stale = IntStream.range(0, 5).mapToObj(i -> staleTaskWithoutWorkflow(TaskPriority.NORMAL)).toList();

        repair.repairOnce(2).block();

        for (Task task : stale) {
            assertThat(client.newUntypedWorkflowStub(task.workflowId()).describe().getStatus())
                    .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        }
    }

    @Test
    void anOverdueRunningTaskWhoseWorkflowWasTerminatedFailsInTheRepair() {
        Task task = staleTaskWithoutWorkflow(TaskPriority.NORMAL);
        repair.repairOnce().block();
        tasks.markRunning(task.id(), Instant.now().minus(Duration.ofMinutes(10))).block();
        client.newUntypedWorkflowStub(task.workflowId()).terminate("operator ended it");

        repair.repairOnce().block();

        Task repaired = tasks.findById(task.id()).block();
        assertThat(repaired.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(repaired.result().get("errorType").asString()).isEqualTo(TaskRepair.WORKFLOW_ENDED);
    }

    @Test
    void progressQueriesGiveUpSoonWithoutAWorker() {
        assertThat(client.getWorkflowServiceStubs().getOptions().getRpcQueryTimeout())
                .isEqualTo(TemporalClientTuning.QUERY_TIMEOUT);
    }

    @Test
    void cancellingAPendingTaskWithoutAWorkflowCancelsIt() {
        TestUser user = createUser(Role.USER);
        Task task = tasks.insert(new NewTask(user.id(), "tool", json.valueToTree(Map.of("server", "s", "tool", "t")),
                TaskPriority.NORMAL, 60, null, "h")).block().task();

        web.post().uri("/api/v1/tasks/{id}/cancel", task.id()).header("Authorization", "Bearer " + user.token())
                .exchange().expectStatus().isAccepted()
                .expectBody().jsonPath("$.status").isEqualTo("cancelled");
    }

    /**
     * A task row as an API process leaves it when it dies before starting the workflow, two minutes ago: past
     * the repair's wait, within the task's timeout plus the execution grace.
     */
    private Task staleTaskWithoutWorkflow(TaskPriority priority) {
        TestUser user = createUser(Role.USER);
        Task task = tasks.insert(new NewTask(user.id(), "tool", json.valueToTree(Map.of("server", "s", "tool", "t")),
                priority, 60, null, "h")).block().task();
        db.sql("UPDATE tasks SET created_at = now() - interval '2 minutes' WHERE id = :id").bind("id", task.id())
                .fetch().rowsUpdated().block();
        return task;
    }
}
