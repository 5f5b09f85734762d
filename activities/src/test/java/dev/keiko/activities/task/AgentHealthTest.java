package dev.keiko.activities.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.activities.ActivitiesTest;
import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.agent.AgentDefinition;
import dev.keiko.domain.agent.AgentEvent;
import dev.keiko.domain.agent.AgentEventType;
import dev.keiko.domain.agent.AgentStore;
import dev.keiko.domain.agent.AgentType;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.RoutedAgent;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import dev.keiko.workflows.llm.LlmFailureTypes;
import dev.keiko.workflows.task.RecordTaskOutcomeInput;
import dev.keiko.workflows.task.TaskErrorTypes;
import dev.keiko.workflows.task.TaskRecordActivities;
import dev.keiko.workflows.task.TaskResult;
import dev.keiko.workflows.tool.ToolFailureTypes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Recording a routed task's outcome tells its agent's health: a failure of the agent's own puts it in
 * error, a completion takes it out; other failures and unrouted tasks change nothing, and a retried
 * recording audits and publishes nothing twice.
 */
@Import(AgentHealthTest.Listening.class)
class AgentHealthTest extends ActivitiesTest {

    @Autowired
    TaskRecordActivities records;

    @Autowired
    AgentStore agents;

    @Autowired
    TaskStore tasks;

    @Autowired
    UserStore users;

    @Autowired
    JsonMapper json;

    @Autowired
    Listening published;

    @Test
    void anAgentEntersErrorOnItsOwnFaultOnceAndLeavesItWhenATaskCompletes() {
        Agent agent = agents.insert(new AgentDefinition(uniqueName("agent"), AgentType.TOOL, List.of(), 60, 2, null,
                List.of("everything"), List.of(), null, null, null, null, null), null).block();

        record(routedTask(agent), "failed", failure(TaskErrorTypes.TIMEOUT));
        record(routedTask(agent), "failed", failure(LlmFailureTypes.RATE_LIMITED));
        assertThat(agents.find(agent.id()).block().inError()).isFalse();

        Task faulty = routedTask(agent);
        record(faulty, "failed", failure(ToolFailureTypes.UNKNOWN_TOOL));
        record(faulty, "failed", failure(ToolFailureTypes.UNKNOWN_TOOL));
        record(routedTask(agent), "failed", failure(LlmFailureTypes.UNKNOWN_DEPLOYMENT));
        Agent inError = agents.find(agent.id()).block();
        assertThat(inError.errorType()).isEqualTo(ToolFailureTypes.UNKNOWN_TOOL);
        assertThat(inError.errorSince()).isNotNull();

        Task completed = routedTask(agent);
        record(completed, "completed", TaskResult.success(Map.of("sum", 3), 0.1, Map.of()));
        record(completed, "completed", TaskResult.success(Map.of("sum", 3), 0.1, Map.of()));
        assertThat(agents.find(agent.id()).block().inError()).isFalse();

        assertThat(agents.events(agent.id(), 100).map(AgentEvent::type).collectList().block())
                .containsExactly(AgentEventType.CREATED, AgentEventType.ERROR_ENTERED, AgentEventType.ERROR_LEFT);
        assertThat(published.events.stream().filter(event -> event.agentId().equals(agent.id()))
                .map(AgentEvent::type)).containsExactly(AgentEventType.CREATED, AgentEventType.ERROR_ENTERED,
                        AgentEventType.ERROR_LEFT);
    }

    @Test
    void anOutcomeRecordedEarlierWithAnotherStatusChangesNothing() {
        Agent agent = agents.insert(new AgentDefinition(uniqueName("agent"), AgentType.TOOL, List.of(), 60, 2, null,
                List.of("everything"), List.of(), null, null, null, null, null), null).block();
        Task task = routedTask(agent);
        record(task, "cancelled", TaskResult.failure(TaskErrorTypes.CANCELLED, "cancelled", 0.1, Map.of()));

        record(task, "failed", failure(ToolFailureTypes.UNKNOWN_SERVER));

        assertThat(agents.find(agent.id()).block().inError()).isFalse();
    }

    @Test
    void anOutcomeRecordedLateUndoesNoOutcomeThatFinishedAfterIt() {
        Agent agent = agents.insert(new AgentDefinition(uniqueName("agent"), AgentType.TOOL, List.of(), 60, 2, null,
                List.of("everything"), List.of(), null, null, null, null, null), null).block();
        long now = System.currentTimeMillis();

        record(routedTask(agent), "completed", TaskResult.success(Map.of(), 0.1, Map.of()), now);
        record(routedTask(agent), "failed", failure(ToolFailureTypes.UNKNOWN_TOOL), now - 1_000);
        assertThat(agents.find(agent.id()).block().inError()).isFalse();

        record(routedTask(agent), "failed", failure(ToolFailureTypes.UNKNOWN_SERVER), now + 1_000);
        record(routedTask(agent), "completed", TaskResult.success(Map.of(), 0.1, Map.of()), now + 500);
        Agent inError = agents.find(agent.id()).block();
        assertThat(inError.errorType()).isEqualTo(ToolFailureTypes.UNKNOWN_SERVER);
        assertThat(inError.errorSince()).isEqualTo(Instant.ofEpochMilli(now + 1_000));

        // A second failure keeps the error and its start; a completion between the two, recorded late, changes nothing.
        record(routedTask(agent), "failed", failure(ToolFailureTypes.UNKNOWN_TOOL), now + 2_000);
        record(routedTask(agent), "completed", TaskResult.success(Map.of(), 0.1, Map.of()), now + 1_500);
        Agent stillInError = agents.find(agent.id()).block();
        assertThat(stillInError.errorType()).isEqualTo(ToolFailureTypes.UNKNOWN_SERVER);
        assertThat(stillInError.errorSince()).isEqualTo(Instant.ofEpochMilli(now + 1_000));

        record(routedTask(agent), "completed", TaskResult.success(Map.of(), 0.1, Map.of()), now + 2_500);
        assertThat(agents.find(agent.id()).block().inError()).isFalse();
        assertThat(agents.events(agent.id(), 100).map(AgentEvent::type).collectList().block())
                .containsExactly(AgentEventType.CREATED, AgentEventType.ERROR_ENTERED, AgentEventType.ERROR_LEFT);
    }

    @Test
    void aFailureFromBeforeAnOperatorTookTheAgentOutOfErrorLeavesItOut() {
        Agent agent = agents.insert(new AgentDefinition(uniqueName("agent"), AgentType.TOOL, List.of(), 60, 2, null,
                List.of("everything"), List.of(), null, null, null, null, null), null).block();
        long now = System.currentTimeMillis();
        record(routedTask(agent), "failed", failure(ToolFailureTypes.UNKNOWN_TOOL), now - 2_000);
        assertThat(agents.leaveError(agent.id(), null).block()).isNotNull();

        record(routedTask(agent), "failed", failure(ToolFailureTypes.UNKNOWN_SERVER), now - 1_000);
        assertThat(agents.find(agent.id()).block().inError()).isFalse();

        record(routedTask(agent), "failed", failure(ToolFailureTypes.UNKNOWN_SERVER),
                System.currentTimeMillis() + 1_000);
        assertThat(agents.find(agent.id()).block().errorType()).isEqualTo(ToolFailureTypes.UNKNOWN_SERVER);
    }

    private void record(Task task, String status, TaskResult result) {
        record(task, status, result, System.currentTimeMillis());
    }

    private void record(Task task, String status, TaskResult result, long finishedAtMillis) {
        records.recordOutcome(new RecordTaskOutcomeInput(task.id().toString(), status, result, finishedAtMillis));
    }

    private static TaskResult failure(String errorType) {
        return TaskResult.failure(errorType, "it failed", 0.1, Map.of());
    }

    private Task routedTask(Agent agent) {
        UUID owner = users.insert(uniqueName("owner"), "{noop}x", Role.USER, UserProfile.EMPTY).block().id();
        return tasks.insert(new NewTask(owner, "tool", json.valueToTree(Map.of("server", "everything", "tool",
                "echo")), TaskPriority.NORMAL, 60, null, null, new RoutedAgent(agent.id(), agent.definition().name())))
                .block().task();
    }

    /**
     * Every agent event published, whichever thread published it: the store publishes on R2DBC's threads, which
     * {@code @RecordApplicationEvents} hears only for the test that was running when they were created.
     */
    @TestConfiguration
    static class Listening {

        final List<AgentEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(AgentEvent event) {
            events.add(event);
        }
    }
}
