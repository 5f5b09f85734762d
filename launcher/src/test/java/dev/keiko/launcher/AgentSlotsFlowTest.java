package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.agent.AgentDefinition;
import dev.keiko.domain.agent.AgentStore;
import dev.keiko.domain.agent.AgentType;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import dev.keiko.workflows.TaskQueues;
import dev.keiko.workflows.agent.AgentSlotsIds;
import dev.keiko.workflows.agent.AgentSlotsWorkflow;
import dev.keiko.workflows.task.TaskAgent;
import dev.keiko.workflows.task.TaskProgress;
import dev.keiko.workflows.task.TaskStatuses;
import dev.keiko.workflows.task.TaskTypes;
import dev.keiko.workflows.task.TaskWorkflow;
import dev.keiko.workflows.task.TaskWorkflowIds;
import dev.keiko.workflows.task.TaskWorkflowInput;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * An agent's slots on the dev system: the worker process runs the agent's slot workflow, which reads the agent
 * from PostgreSQL; the task workflow is started as the API starts one routed to an agent.
 */
class AgentSlotsFlowTest {

    static DevSystem system;
    static WorkflowClient client;

    @BeforeAll
    static void start() {
        system = DevSystem.shared();
        client = system.api.getBean(WorkflowClient.class);
    }

    @Test
    void aTaskWaitsWhileItsAgentIsInactiveRunsOnceActivatedAndTheSlotWorkflowEndsWithTheAgent() {
        AgentStore agents = system.api.getBean(AgentStore.class);
        UUID admin = system.user(Role.ADMIN).id();
        String name = "slots-" + UUID.randomUUID().toString().substring(0, 8);
        Agent agent = agents.insert(new AgentDefinition(name, AgentType.TOOL, List.of("echo"), 300, 1, null,
                List.of("everything/echo"), null, null, null, null, null, null), admin).block();
        String agentId = agent.id().toString();
        TestUser user = system.user(Role.USER);
        Map<String, Object> parameters = Map.of("server", "everything", "tool", "echo",
                "arguments", Map.of("message", "routed"));
        Task task = system.api.getBean(TaskStore.class).insert(new NewTask(user.id(), TaskTypes.TOOL,
                system.api.getBean(JsonMapper.class).valueToTree(parameters), TaskPriority.HIGH, 60, null, null))
                .block().task();
        String taskId = task.id().toString();
        TaskWorkflow workflow = client.newWorkflowStub(TaskWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(TaskWorkflowIds.forTask(taskId)).setTaskQueue(TaskQueues.TASKS).build());

        WorkflowClient.start(workflow::run, new TaskWorkflowInput(taskId, TaskTypes.TOOL, parameters, 60,
                new TaskAgent(agentId, name, "high", System.currentTimeMillis(),
                        new TaskAgent.RetryPolicy(1, 2.0, 10, 3, List.of()))));

        AgentSlotsWorkflow slots = client.newWorkflowStub(AgentSlotsWorkflow.class, AgentSlotsIds.forAgent(agentId));
        awaitTrue(() -> {
            TaskProgress progress = workflow.progress();
            return TaskStatuses.PENDING.equals(progress.status()) && Integer.valueOf(1).equals(progress.queuePlace());
        });
        assertThat(slots.slots().waiting()).containsExactly(TaskWorkflowIds.forTask(taskId));
        assertThat(slots.slots().limits().active()).isFalse();

        agents.setActive(agent.id(), true, admin).block();
        client.newUntypedWorkflowStub(AgentSlotsIds.forAgent(agentId)).signal("refreshLimits");

        Map<?, ?> done = TaskFlowTest.awaitStatus(system.web, user, taskId, "completed", Duration.ofSeconds(30));
        assertThat(((Map<?, ?>) done.get("result")).get("success")).isEqualTo(true);
        awaitTrue(() -> slots.slots().holders().isEmpty() && slots.slots().waiting().isEmpty());

        agents.delete(agent.id(), admin).block();
        client.newUntypedWorkflowStub(AgentSlotsIds.forAgent(agentId)).signal("refreshLimits");
        awaitTrue(() -> client.newUntypedWorkflowStub(AgentSlotsIds.forAgent(agentId)).describe().getStatus()
                == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
