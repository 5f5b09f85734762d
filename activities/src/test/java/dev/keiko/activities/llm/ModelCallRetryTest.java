package dev.keiko.activities.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.keiko.activities.llm.LlmFakes.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.keiko.activities.ActivitiesTest;
import dev.keiko.activities.budget.ModelCallCharges;
import dev.keiko.domain.budget.TokenUsageStore;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.User;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import dev.keiko.workflows.TaskQueues;
import dev.keiko.workflows.task.TaskRecordActivities;
import dev.keiko.workflows.task.TaskTypes;
import dev.keiko.workflows.task.TaskWorkflow;
import dev.keiko.workflows.task.TaskWorkflowIds;
import dev.keiko.workflows.task.TaskWorkflowImpl;
import dev.keiko.workflows.task.TaskWorkflowInput;
import dev.keiko.workflows.task.TaskWorkflowOutput;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A model call retried by Temporal after its answer was lost: the lost attempt stays charged at what it
 * reserved, the retry reserves anew and settles once, and the task's owner never passes the budget.
 */
class ModelCallRetryTest extends ActivitiesTest {

    @RegisterExtension
    static final WireMockExtension azure = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    @Autowired
    ModelCallCharges charges;

    @Autowired
    TaskRecordActivities records;

    @Autowired
    TokenUsageStore usage;

    @Autowired
    UserStore userStore;

    @Autowired
    TaskStore tasks;

    @Autowired
    DatabaseClient db;

    @Autowired
    JsonMapper json;

    private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();

    @AfterEach
    void close() {
        env.close();
    }

    @Test
    void aRetryAfterALostAnswerReservesAnewAndIsRecordedOnce() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("answering"));
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).inScenario("lost").whenScenarioStateIs("answering")
                .willReturn(json(200, "azure-chat-answer.json")));
        Worker worker = env.newWorker(TaskQueues.TASKS);
        worker.registerWorkflowImplementationTypes(TaskWorkflowImpl.class);
        worker.registerActivitiesImplementations(records,
                new LlmActivitiesImpl(LlmFakes.azure(azure.baseUrl()), DeploymentRateLimiter.NONE, charges));
        env.start();
        User owner = userStore.insert(uniqueName("retried"), "{noop}x", Role.USER, UserProfile.EMPTY).block();
        userStore.update(owner.id(), null, null, 1_000L, false).block();
        Map<String, Object> parameters = Map.of("prompt", "Capital of France?", "maxTokens", 100);
        UUID task = tasks.insert(new NewTask(owner.id(), TaskTypes.COMPLETION, json.valueToTree(parameters),
                TaskPriority.NORMAL, 600, null, null)).block().task().id();

        TaskWorkflowOutput output = env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(TaskWorkflowIds.forTask(task.toString()))
                        .setTaskQueue(TaskQueues.TASKS).build())
                .run(new TaskWorkflowInput(task.toString(), TaskTypes.COMPLETION, parameters, 600));

        assertThat(output.result().success()).isTrue();
        azure.verify(2, postRequestedFor(urlPathEqualTo(LlmFakes.AZURE_CHAT)));
        // 18 characters make a prompt estimate of 5, and one message 7 more: each attempt reserved 112.
        assertThat(attempts(task)).containsExactly("1 lost 112 112", "2 settled 112 33");
        assertThat(usage.spentByTask(task).block()).isEqualTo(112 + 33);
        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(112 + 33);
    }

    private List<String> attempts(UUID task) {
        return db.sql("SELECT attempt, state, reserved_tokens, charged_tokens FROM token_usage WHERE task_id = :task"
                        + " ORDER BY attempt")
                .bind("task", task)
                .map(row -> row.get("attempt", Integer.class) + " " + row.get("state", String.class) + " "
                        + row.get("reserved_tokens", Long.class) + " " + row.get("charged_tokens", Long.class))
                .all().collectList().block();
    }
}
