package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.agent.AgentDefinition;
import dev.keiko.domain.agent.AgentStore;
import dev.keiko.domain.agent.AgentType;
import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import dev.keiko.workflows.agent.AgentSlotsIds;
import dev.keiko.workflows.search.KeikoSearchAttributes;
import dev.keiko.workflows.search.TaskMemo;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.common.SearchAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * On the dev system (its Temporal dev server registers Keiko's search attributes at start-up), a task routed to an
 * agent carries them from its submission, shows {@code awaiting_approval} while a call waits, and ends
 * {@code completed}; its agent's slot workflow is marked {@code agent-slots}. Read back through the API's
 * WorkflowClient with DescribeWorkflowExecution: the dev server cannot run the Web UI's visibility queries.
 */
class TaskSearchAttributesFlowTest {

    static final String DEPLOYMENT = "search-flow";

    @Test
    void aRoutedAgentTaskIsFoundByItsAttributesThroughEveryStatus() {
        DevSystem system = DevSystem.shared();
        WorkflowClient client = system.api.getBean(WorkflowClient.class);
        ModelFake.agentEchoes(DevSystem.AZURE_OPENAI, DEPLOYMENT, "say it");
        // An operator: priority high needs tasks:prioritize.
        TestUser user = system.user(Role.OPERATOR);
        Agent agent = approvingAgent(system);

        Map<?, ?> submitted = system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("agentId", agent.id().toString(), "priority", "high",
                        "parameters", Map.of("goal", "echo the notes of " + user.username())))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody();
        String id = (String) submitted.get("id");
        String workflowId = (String) submitted.get("workflowId");

        await().atMost(Duration.ofSeconds(30)).until(() -> "awaiting_approval".equals(status(client, workflowId)));
        SearchAttributes waiting = describe(client, workflowId).getTypedSearchAttributes();
        assertThat(waiting).isEqualTo(SearchAttributes.newBuilder()
                .set(KeikoSearchAttributes.KIND, "task")
                .set(KeikoSearchAttributes.TASK_TYPE, "agent")
                .set(KeikoSearchAttributes.STATUS, "awaiting_approval")
                .set(KeikoSearchAttributes.PRIORITY, "high")
                .set(KeikoSearchAttributes.OWNER, user.id().toString())
                .set(KeikoSearchAttributes.AGENT_ID, agent.id().toString())
                .set(KeikoSearchAttributes.DEPLOYMENT, DEPLOYMENT)
                .set(KeikoSearchAttributes.SERVERS, List.of("everything"))
                .build());
        assertThat(describe(client, AgentSlotsIds.forAgent(agent.id().toString())).getTypedSearchAttributes()
                .get(KeikoSearchAttributes.KIND)).isEqualTo("agent-slots");

        system.web.post().uri("/api/v1/tasks/{id}/approvals", id).header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("approvalId", "step1-1", "decision", "approve"))
                .exchange().expectStatus().isOk();
        TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(10)).until(() -> "completed".equals(status(client, workflowId)));
        WorkflowExecutionDescription ended = describe(client, workflowId);
        assertThat(ended.getMemo(TaskMemo.TASK_ID, String.class, String.class)).isEqualTo(id);
        assertThat(ended.getMemo(TaskMemo.OWNER_ID, String.class, String.class)).isEqualTo(user.id().toString());
        assertThat(ended.getStaticDetails()).startsWith("Keiko task " + id + ": agent, priority high");
        String shown = ended.getTypedSearchAttributes().getUntypedValues().values() + " "
                + ended.getWorkflowExecutionInfo().getMemo() + " " + ended.getStaticDetails();
        assertThat(shown).doesNotContain(user.username(), "notes", "say it");
    }

    /** An active agent whose echo calls wait for approval, answering through {@link #DEPLOYMENT}. */
    private static Agent approvingAgent(DevSystem system) {
        AgentStore agents = system.api.getBean(AgentStore.class);
        UUID admin = system.user(Role.ADMIN).id();
        Agent agent = agents.insert(new AgentDefinition("search-" + UUID.randomUUID().toString().substring(0, 8),
                AgentType.LLM, List.of(), 120, 1, null, List.of("everything/echo"), List.of("everything/echo"), null,
                DEPLOYMENT, null, 3, null), admin).block();
        return agents.setActive(agent.id(), true, admin).block();
    }

    private static WorkflowExecutionDescription describe(WorkflowClient client, String workflowId) {
        return client.newUntypedWorkflowStub(workflowId).describe();
    }

    private static String status(WorkflowClient client, String workflowId) {
        return describe(client, workflowId).getTypedSearchAttributes().get(KeikoSearchAttributes.STATUS);
    }
}
