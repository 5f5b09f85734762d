package dev.keiko.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.api.search.NamespaceSearchAttributes;
import dev.keiko.api.search.SearchAttributeProperties;
import dev.keiko.domain.agent.Agent;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.domain.task.Task;
import dev.keiko.domain.user.Role;
import dev.keiko.embedded.EmbeddedServices;
import dev.keiko.embedded.SearchAttributeRegistration;
import dev.keiko.embedded.TemporalDevServer;
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
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * What the Temporal Web UI shows of a submitted task's workflow: Keiko's search attributes (the shared dev server
 * has them registered), its memo and details, and nothing personal. The test server cannot run the visibility
 * queries the Web UI sends (ListWorkflowExecutions is unimplemented), so these read the attributes back through
 * DescribeWorkflowExecution. No worker runs: the workflows stay pending.
 */
class TaskWorkflowLabelsTest extends RoutingTestSupport {

    @Autowired
    WorkflowClient client;

    @Autowired
    LlmProperties llm;

    @Test
    void aRoutedAgentTaskCarriesItsAttributesMemoAndDetails() {
        // An operator: priority critical needs tasks:prioritize.
        TestUser user = createUser(Role.OPERATOR);
        Agent agent = llmAgent(List.of());

        JsonNode task = accepted(user, body("agentId", agent.id().toString(), "priority", "critical",
                "parameters", Map.of("goal", "read the diary of " + user.username())));

        WorkflowExecutionDescription workflow = describe(task);
        assertThat(workflow.getTypedSearchAttributes()).isEqualTo(SearchAttributes.newBuilder()
                .set(KeikoSearchAttributes.KIND, "task")
                .set(KeikoSearchAttributes.TASK_TYPE, "agent")
                .set(KeikoSearchAttributes.STATUS, "pending")
                .set(KeikoSearchAttributes.PRIORITY, "critical")
                .set(KeikoSearchAttributes.OWNER, user.id().toString())
                .set(KeikoSearchAttributes.AGENT_ID, agent.id().toString())
                .set(KeikoSearchAttributes.DEPLOYMENT, "gpt-4o")
                .set(KeikoSearchAttributes.SERVERS, List.of("limited"))
                .build());
        assertMemo(workflow, task, user);
        assertThat(workflow.getStaticDetails()).isEqualTo("Keiko task " + task.get("id").asString()
                + ": agent, priority critical, timeout 200 s, agent " + agent.definition().name() + " ("
                + agent.id() + "), deployment gpt-4o, servers limited");
        assertThat(workflow.getStaticSummary()).isEqualTo("agent: gpt-4o, agent " + agent.definition().name());
        String shown = workflow.getTypedSearchAttributes().getUntypedValues().values() + " "
                + workflow.getWorkflowExecutionInfo().getMemo() + " " + workflow.getStaticDetails();
        assertThat(shown).doesNotContain(user.username(), "diary");
    }

    @Test
    void aToolTaskNamesItsServerAndACompletionItsDeployment() {
        TestUser user = createUser(Role.USER);

        JsonNode tool = accepted(user, body("type", "tool", "parameters", getSum()));
        JsonNode completion = accepted(user, body("type", "completion", "parameters",
                Map.of("prompt", "hello", "deployment", "gpt-4o-mini")));

        SearchAttributes toolAttributes = describe(tool).getTypedSearchAttributes();
        assertThat(toolAttributes.get(KeikoSearchAttributes.TASK_TYPE)).isEqualTo("tool");
        assertThat(toolAttributes.get(KeikoSearchAttributes.PRIORITY)).isEqualTo("normal");
        assertThat(toolAttributes.get(KeikoSearchAttributes.SERVERS)).containsExactly("limited");
        assertThat(toolAttributes.containsKey(KeikoSearchAttributes.DEPLOYMENT)).isFalse();
        assertThat(toolAttributes.containsKey(KeikoSearchAttributes.AGENT_ID)).isFalse();
        SearchAttributes completionAttributes = describe(completion).getTypedSearchAttributes();
        assertThat(completionAttributes.get(KeikoSearchAttributes.TASK_TYPE)).isEqualTo("completion");
        assertThat(completionAttributes.get(KeikoSearchAttributes.DEPLOYMENT)).isEqualTo("gpt-4o-mini");
        assertThat(completionAttributes.containsKey(KeikoSearchAttributes.SERVERS)).isFalse();
        assertMemo(describe(completion), completion, user);
    }

    @Test
    void whereTheNamespaceLacksThemAWorkflowStartsWithoutAttributesButWithItsMemo() {
        TestUser user = createUser(Role.USER);
        Task task = routedTask(user, toolAgent(List.of(), 1));
        NamespaceSearchAttributes lacking = new NamespaceSearchAttributes(client,
                new SearchAttributeProperties(SearchAttributeProperties.Use.NEVER));

        new TaskWorkflows(client, json, Duration.ofMinutes(5), new TaskWorkflowLabels(lacking, llm))
                .start(task, TaskManagement.summary(task)).block();

        WorkflowExecutionDescription workflow = client.newUntypedWorkflowStub(task.workflowId()).describe();
        assertThat(workflow.getTypedSearchAttributes().size()).isZero();
        assertThat(workflow.getMemo(TaskMemo.OWNER_ID, String.class, String.class)).isEqualTo(user.id().toString());
        assertThat(workflow.getStaticDetails()).startsWith("Keiko task " + task.id() + ": tool");
    }

    @Test
    void detectingThemOnTheTestServerFindsNoneForItCannotListThem() {
        NamespaceSearchAttributes detecting = new NamespaceSearchAttributes(client,
                new SearchAttributeProperties(SearchAttributeProperties.Use.DETECT));

        assertThat(detecting.registered()).isFalse();
    }

    @Test
    void theDevServerHasThemAndRegisteringThemAgainAddsNone() {
        String target = EmbeddedServices.shared().temporal().target();

        assertThat(SearchAttributeRegistration.register(target, TemporalDevServer.NAMESPACE)).isEmpty();
        assertThat(SearchAttributeRegistration.register(target, TemporalDevServer.NAMESPACE)).isEmpty();
    }

    private WorkflowExecutionDescription describe(JsonNode task) {
        return client.newUntypedWorkflowStub(task.get("workflowId").asString()).describe();
    }

    private static void assertMemo(WorkflowExecutionDescription workflow, JsonNode task, TestUser user) {
        assertThat(workflow.getMemo(TaskMemo.TASK_ID, String.class, String.class))
                .isEqualTo(task.get("id").asString());
        assertThat(workflow.getMemo(TaskMemo.OWNER_ID, String.class, String.class))
                .isEqualTo(user.id().toString()).satisfies(UUID::fromString);
        assertThat(workflow.getWorkflowExecutionInfo().getMemo().getFieldsMap()).containsOnlyKeys(
                TaskMemo.TASK_ID, TaskMemo.OWNER_ID);
    }
}
