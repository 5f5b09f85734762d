package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.api.ApiTestSupport;
import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.agent.AgentDefinition;
import dev.keiko.domain.agent.AgentStore;
import dev.keiko.domain.agent.AgentType;
import dev.keiko.domain.task.RoutedAgent;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.workflows.task.TaskErrorTypes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A start that Temporal refuses as invalid fails the task at once, at submission and in the repair; a
 * start that cannot reach Temporal leaves the task pending for the repair. Against the shared Temporal
 * test server, which refuses a negative execution timeout with {@code INVALID_ARGUMENT}: the API never
 * asks for one (the grace is validated), so these tests make the grace negative past that validation.
 */
class TaskStartFailureTest extends ApiTestSupport {

    @Autowired
    WorkflowClient client;

    @Autowired
    TaskStore tasks;

    @Autowired
    TaskWorkflows workflows;

    @Autowired
    TaskWorkflowLabels labels;

    @Autowired
    TaskOutcomes outcomes;

    @Autowired
    TaskValidation validation;

    @Autowired
    TaskRouting routing;

    @Autowired
    TaskNarrowing narrowing;

    @Autowired
    AgentStore agents;

    @Autowired
    TaskProperties properties;

    @Autowired
    JsonMapper json;

    @Autowired
    DatabaseClient db;

    private WorkflowServiceStubs unreachableStubs;

    @AfterEach
    void closeUnreachableStubs() {
        if (unreachableStubs != null) {
            unreachableStubs.shutdownNow();
        }
    }

    @Test
    void aNewTaskWhoseStartTemporalRefusesFailsAtOnceWithoutAWorkflow() {
        Task task = newTask();

        Task started = management(refusing()).start(task).block();

        assertThat(started.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(started.result().get("errorType").asString()).isEqualTo(TaskStarter.WORKFLOW_START_REFUSED);
        assertThat(started.result().get("errorMessage").asString()).contains("INVALID_ARGUMENT");
        assertThat(tasks.findById(task.id()).block().status()).isEqualTo(TaskStatus.FAILED);
        assertNoWorkflow(task);
    }

    @Test
    void theRepairFailsAPendingTaskWhoseStartTemporalRefuses() {
        Task task = newTask();

        assertThat(repair(workflows, refusing()).repairOnce().block()).isPositive();

        Task repaired = tasks.findById(task.id()).block();
        assertThat(repaired.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(repaired.result().get("errorType").asString()).isEqualTo(TaskStarter.WORKFLOW_START_REFUSED);
        assertNoWorkflow(task);
    }

    @Test
    void aNewTaskWhoseStartCannotReachTemporalStaysPending() {
        Task task = newTask();

        Task started = management(unreachable()).start(task).block();

        assertThat(started.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(tasks.findById(task.id()).block().status()).isEqualTo(TaskStatus.PENDING);
    }

    @Test
    void theRepairLeavesATaskPendingWhileItsStartCannotReachTemporalAndStartsItOnceItCan() {
        Task task = newTask();

        // Temporal answers that the workflow does not exist, but the start cannot get through.
        repair(workflows, unreachable()).repairOnce().block();

        assertThat(tasks.findById(task.id()).block().status()).isEqualTo(TaskStatus.PENDING);
        assertNoWorkflow(task);

        repair(workflows, workflows).repairOnce().block();

        assertThat(client.newUntypedWorkflowStub(task.workflowId()).describe().getWorkflowType())
                .isEqualTo("TaskWorkflow");
        assertThat(tasks.findById(task.id()).block().status()).isEqualTo(TaskStatus.PENDING);
    }

    @Test
    void theRepairFailsAPendingTaskThatCouldNotBeStartedWithinItsTimeoutPlusTheGrace() {
        Task task = newTask();
        db.sql("UPDATE tasks SET created_at = now() - interval '1 hour' WHERE id = :id").bind("id", task.id())
                .fetch().rowsUpdated().block();

        repair(workflows, workflows).repairOnce().block();

        Task repaired = tasks.findById(task.id()).block();
        assertThat(repaired.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(repaired.result().get("errorType").asString()).isEqualTo(TaskErrorTypes.TIMEOUT);
        assertThat(repaired.result().get("errorMessage").asString()).contains("could not be started");
        assertNoWorkflow(task);
    }

    @Test
    void theRepairStartsARoutedTaskWithItsAgentAndFailsOneWhoseAgentWasDeleted() {
        Agent kept = activeAgent();
        Agent deleted = activeAgent();
        Task routed = routedTask(kept);
        Task orphaned = routedTask(deleted);
        db.sql("DELETE FROM agents WHERE id = :id").bind("id", deleted.id()).fetch().rowsUpdated().block();

        repair(workflows, workflows).repairOnce().block();

        assertThat(tasks.findById(routed.id()).block().status()).isEqualTo(TaskStatus.PENDING);
        assertThat(HistoryPayloads.json(client, routed.workflowId(), client.fetchHistory(routed.workflowId())
                .getHistory().getEvents(0).getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0)))
                .contains("\"agentId\":\"" + kept.id() + "\"");
        Task failed = tasks.findById(orphaned.id()).block();
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.result().get("errorType").asString()).isEqualTo(TaskStarter.AGENT_DELETED);
        assertNoWorkflow(orphaned);
    }

    @Test
    void theRepairLeavesAPendingTaskWhoseWorkflowWaitsForASlot() {
        Task waiting = management(workflows).start(routedTask(activeAgent())).block();
        db.sql("UPDATE tasks SET created_at = now() - interval '50 seconds' WHERE id = :id")
                .bind("id", waiting.id()).fetch().rowsUpdated().block();

        repair(workflows, workflows).repairOnce().block();
        repair(workflows, workflows).repairOnce().block();

        assertThat(tasks.findById(waiting.id()).block().status()).isEqualTo(TaskStatus.PENDING);
        assertThat(client.newUntypedWorkflowStub(waiting.workflowId()).describe().getStatus())
                .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        assertThat(client.fetchHistory(waiting.workflowId()).getHistory().getEventsCount()).isEqualTo(2);
    }

    private Agent activeAgent() {
        Agent agent = agents.insert(new AgentDefinition("agent-" + UUID.randomUUID().toString().substring(0, 8),
                AgentType.TOOL, List.of(), 60, 1, null, List.of("s/t"), List.of(), null, null, null, null, null),
                null).block();
        return agents.setActive(agent.id(), true, null).block();
    }

    private Task routedTask(Agent agent) {
        TestUser user = createUser(Role.USER);
        return tasks.insert(new NewTask(user.id(), "tool", json.valueToTree(Map.of("server", "s", "tool", "t")),
                TaskPriority.NORMAL, 60, null, "h", new RoutedAgent(agent.id(), agent.definition().name())))
                .block().task();
    }

    private TaskManagement management(TaskWorkflows starting) {
        return new TaskManagement(tasks, workflows, new TaskStarter(starting, outcomes, agents), validation, routing,
                narrowing, outcomes, properties, json);
    }

    /** A repair that reads workflow status through {@code reading} and starts through {@code starting}, for tasks of any age. */
    private TaskRepair repair(TaskWorkflows reading, TaskWorkflows starting) {
        TaskProperties anyAge = new TaskProperties(properties.defaultTimeout(), properties.maxTimeout(),
                Duration.ZERO, properties.pendingRecheckInterval(), properties.executionGrace());
        return new TaskRepair(tasks, reading, new TaskStarter(starting, outcomes, agents), outcomes, anyAge);
    }

    /** Starts workflows with an execution timeout of the task's 60 s minus an hour, which Temporal refuses. */
    private TaskWorkflows refusing() {
        return new TaskWorkflows(client, json, Duration.ofHours(-1), labels);
    }

    /** Starts workflows through a client of a port nothing listens on, giving up after two seconds. */
    private TaskWorkflows unreachable() {
        unreachableStubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + closedPort())
                .setRpcRetryOptions(RpcRetryOptions.newBuilder().setExpiration(Duration.ofSeconds(2))
                        .validateBuildWithDefaults())
                .build());
        WorkflowClient unreachable = WorkflowClient.newInstance(unreachableStubs,
                WorkflowClientOptions.newBuilder().setNamespace(client.getOptions().getNamespace()).build());
        return new TaskWorkflows(unreachable, json, properties.executionGrace(), labels);
    }

    private void assertNoWorkflow(Task task) {
        assertThatThrownBy(() -> client.newUntypedWorkflowStub(task.workflowId()).describe())
                .isInstanceOf(WorkflowNotFoundException.class);
    }

    /** A fresh pending task without a workflow: the scheduled repair leaves it alone for 30 s. */
    private Task newTask() {
        TestUser user = createUser(Role.USER);
        return tasks.insert(new NewTask(user.id(), "tool", json.valueToTree(Map.of("server", "s", "tool", "t")),
                TaskPriority.NORMAL, 60, null, "h")).block().task();
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
