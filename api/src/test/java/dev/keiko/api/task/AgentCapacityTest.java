package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.user.Role;
import dev.keiko.workflows.agent.AgentSlotsIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * What an agent shows of its tasks: a status derived from them (busy, error, inactive), slots in use, tasks
 * waiting and the last 24 hours, on one agent and in the list; a change takes it out of error and tells its
 * slot workflow.
 */
class AgentCapacityTest extends RoutingTestSupport {

    @Autowired
    WorkflowClient client;

    @Test
    void statusAndCountsComeFromTheAgentsTasks() {
        TestUser user = createUser(Role.USER);
        TestUser operator = createUser(Role.OPERATOR);
        Agent agent = toolAgent(List.of(), 2);
        String path = AGENTS + "/" + agent.id();

        JsonNode idle = read(user, path);
        assertThat(idle.get("status").asString()).isEqualTo("active");
        assertThat(idle.get("slotsInUse").asLong()).isZero();
        assertThat(idle.get("last24Hours").get("completed").asLong()).isZero();

        tasks.markRunning(routedTask(user, agent).id(), Instant.now()).block();
        routedTask(user, agent);
        routedTask(user, agent);
        Task recorded = routedTask(user, agent);
        end(recorded, TaskStatus.COMPLETED, Instant.now(), Map.of("tokens", Map.of("total", 40)));
        recordTokens(user, recorded, 100);
        end(routedTask(user, agent), TaskStatus.COMPLETED, Instant.now(), Map.of("tokens", Map.of("total", 7)));
        end(routedTask(user, agent), TaskStatus.FAILED, Instant.now(), Map.of());
        end(routedTask(user, agent), TaskStatus.COMPLETED, Instant.now().minus(Duration.ofHours(25)),
                Map.of("tokens", Map.of("total", 1000)));

        JsonNode counted = read(user, path);
        assertThat(counted.get("status").asString()).isEqualTo("active");
        assertThat(counted.get("slotsInUse").asLong()).isOne();
        assertThat(counted.get("tasksWaiting").asLong()).isEqualTo(2);
        assertThat(counted.get("last24Hours").get("completed").asLong()).isEqualTo(2);
        assertThat(counted.get("last24Hours").get("failed").asLong()).isOne();
        // The recorded model calls count where they exist, the result's total otherwise.
        assertThat(counted.get("last24Hours").get("tokens").asLong()).isEqualTo(107);

        tasks.markRunning(routedTask(user, agent).id(), Instant.now()).block();
        JsonNode listed = read(user, AGENTS + "?limit=100").get("agents").valueStream()
                .filter(shown -> shown.get("id").asString().equals(agent.id().toString())).findFirst().orElseThrow();
        assertThat(listed.get("status").asString()).isEqualTo("busy");
        assertThat(listed.get("slotsInUse").asLong()).isEqualTo(2);
        assertThat(listed.get("tasksWaiting").asLong()).isEqualTo(2);
        assertThat(listed.get("last24Hours").get("tokens").asLong()).isEqualTo(107);

        agents.enterError(agent.id(), "UNKNOWN_TOOL", Instant.now()).block();
        JsonNode inError = read(user, path);
        assertThat(inError.get("status").asString()).isEqualTo("error");
        assertThat(inError.get("errorType").asString()).isEqualTo("UNKNOWN_TOOL");
        call(operator, "POST", path + "/deactivate", null).expectStatus().isOk();
        assertThat(read(user, path).get("status").asString()).isEqualTo("inactive");
    }

    @Test
    void aChangeTakesTheAgentOutOfErrorAndSignalsItsSlotWorkflow() {
        TestUser operator = createUser(Role.OPERATOR);
        Agent agent = toolAgent(List.of(), 1);
        String path = AGENTS + "/" + agent.id();
        String taskQueue = "refresh-probe-" + UUID.randomUUID();
        WorkerFactory factory = WorkerFactory.newInstance(client);
        Worker worker = factory.newWorker(taskQueue);
        worker.registerWorkflowImplementationTypes(RefreshProbeImpl.class);
        factory.start();
        try {
            RefreshProbe probe = client.newWorkflowStub(RefreshProbe.class, WorkflowOptions.newBuilder()
                    .setWorkflowId(AgentSlotsIds.forAgent(agent.id().toString())).setTaskQueue(taskQueue).build());
            WorkflowClient.start(probe::run);

            agents.enterError(agent.id(), "UNKNOWN_DEPLOYMENT", Instant.now()).block();
            agents.enterError(agent.id(), "UNKNOWN_TOOL", Instant.now()).block();
            JsonNode changed = call(operator, "PATCH", path, Map.of("maxConcurrentTasks", 4)).expectStatus().isOk()
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(changed.get("status").asString()).isEqualTo("active");
            assertThat(changed.has("errorType")).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(probe::refreshes, count -> count == 1);
            call(operator, "POST", path + "/deactivate", null).expectStatus().isOk();
            call(operator, "POST", path + "/activate", null).expectStatus().isOk();
            call(operator, "DELETE", path, null).expectStatus().isNoContent();
            await().atMost(Duration.ofSeconds(10)).until(probe::refreshes, count -> count == 4);
        } finally {
            factory.shutdownNow();
        }

        JsonNode events = read(admin(), path + "/events");
        assertThat(events.valueStream().map(event -> event.get("type").asString())).containsExactly("created",
                "activated", "error_entered", "updated", "error_left", "deactivated", "activated", "deleted");
        assertThat(events.get(2).get("actor").isNull()).isTrue();
        assertThat(events.get(4).get("actor").asString()).isEqualTo(operator.id().toString());
        // An agent without a slot workflow is changed all the same.
        Agent alone = toolAgent(List.of(), 1);
        call(operator, "PATCH", AGENTS + "/" + alone.id(), Map.of("maxConcurrentTasks", 2)).expectStatus().isOk();
    }

    private void end(Task task, TaskStatus status, Instant finishedAt, Map<String, Object> metadata) {
        tasks.recordOutcome(task.id(), status, json.valueToTree(Map.of("success", status == TaskStatus.COMPLETED,
                "metadata", metadata)), finishedAt).block();
    }

    private void recordTokens(TestUser user, Task task, long total) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        db.sql("INSERT INTO token_usage (task_id, step, user_id, model, prompt_tokens, completion_tokens,"
                        + " total_tokens, recorded_at, attempt, day, reserved_tokens, state) VALUES (:task, 1, :user,"
                        + " 'gpt-4o', :total, 0, :total, :now, 1, :day, 0, 'settled')")
                .bind("task", task.id()).bind("user", user.id()).bind("total", total)
                .bind("now", now.atOffset(ZoneOffset.UTC)).bind("day", LocalDate.now(ZoneOffset.UTC))
                .fetch().rowsUpdated().block();
    }

    /** Stands in for the agent's slot workflow: counts the signals it gets. */
    @WorkflowInterface
    public interface RefreshProbe {

        @WorkflowMethod
        void run();

        @SignalMethod
        void refreshLimits();

        @QueryMethod
        int refreshes();
    }

    public static class RefreshProbeImpl implements RefreshProbe {

        private int refreshes;

        @Override
        public void run() {
            Workflow.await(() -> false);
        }

        @Override
        public void refreshLimits() {
            refreshes++;
        }

        @Override
        public int refreshes() {
            return refreshes;
        }
    }
}
