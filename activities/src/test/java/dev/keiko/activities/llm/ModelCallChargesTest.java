package dev.keiko.activities.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.keiko.activities.ActivityEnvironment.failure;
import static dev.keiko.activities.llm.LlmFakes.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keiko.activities.ActivitiesTest;
import dev.keiko.activities.budget.ModelCallCharges;
import dev.keiko.domain.budget.TokenUsageStore;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.User;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatMessage;
import dev.keiko.workflows.llm.LlmFailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model-call activity charges its owner itself: it reserves before the call against the owner's
 * daily budget in PostgreSQL, caps the answer at the reservation and settles with the real usage after.
 */
class ModelCallChargesTest extends ActivitiesTest {

    private static final long PROMPT_ESTIMATE = 10;
    // What a call of one message reserves for its prompt: the estimate, 4 tokens a message and 3 for the reply.
    private static final long PROMPT = PROMPT_ESTIMATE + 7;

    @RegisterExtension
    static final WireMockExtension azure = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    @Autowired
    ModelCallCharges charges;

    @Autowired
    TokenUsageStore usage;

    @Autowired
    UserStore userStore;

    @Autowired
    TaskStore tasks;

    @Autowired
    JsonMapper json;

    @Autowired
    DatabaseClient db;

    private final List<LlmActivityEnvironment> environments = new ArrayList<>();

    @BeforeEach
    void answerWith33Tokens() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).willReturn(json(200, "azure-chat-answer.json")));
    }

    @AfterEach
    void closeEnvironments() {
        environments.forEach(LlmActivityEnvironment::close);
    }

    @Test
    void fourParallelCallsOfAUserWithA100TokenBudgetNeverSpendPastIt() throws Exception {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .willReturn(json(200, "azure-chat-answer.json").withFixedDelay(500)));
        User owner = user(100L);

        List<Throwable> outcomes = callTogether(owner, 4, 40);

        // Each call reserves its prompt estimate and its answer's cap, 50: two fit, two are refused unmade.
        assertThat(outcomes).filteredOn(outcome -> outcome == null).hasSize(2);
        assertThat(outcomes).filteredOn(outcome -> outcome != null).hasSize(2).allSatisfy(refusal -> {
            assertThat(refusal).isInstanceOf(ApplicationFailure.class);
            assertThat(((ApplicationFailure) refusal).getType()).isEqualTo(LlmFailureTypes.BUDGET_EXCEEDED);
            assertThat(((ApplicationFailure) refusal).isNonRetryable()).isTrue();
        });
        azure.verify(2, postRequestedFor(urlPathEqualTo(LlmFakes.AZURE_CHAT)));
        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(66).isLessThanOrEqualTo(100);
    }

    @Test
    void parallelCallsWithLargeMaxTokensDoNotHoldTheWholeBudget() throws Exception {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .willReturn(json(200, "azure-chat-answer.json").withFixedDelay(500)));
        User owner = user(10_000L);

        // As an agent's calls: their maxTokens is what is left of their task's budget.
        List<Throwable> outcomes = callTogether(owner, 3, 9_000);

        // Each reserves its prompt estimate and at most 4096 for its answer: all three fit in 10,000.
        assertThat(outcomes).containsOnlyNulls();
        azure.verify(3, postRequestedFor(urlPathEqualTo(LlmFakes.AZURE_CHAT)));
        azure.verify(0, postRequestedFor(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .withRequestBody(matchingJsonPath("$[?(@.max_tokens > 4096)]")));
        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(3 * 33);
    }

    @Test
    void theAnswerIsCappedAtWhatIsLeftOfTheDay() {
        User owner = user(100L);
        usage.record(task(owner), 1, "gpt-4o", 40, 10, 50).block();

        environment().activities().complete(call(task(owner), null));

        azure.verify(postRequestedFor(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo(String.valueOf(50 - PROMPT)))));
        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(50 + 33);
    }

    @Test
    void aCallThatCouldOverrunTheDailyBudgetIsNotMade() {
        User owner = user(25L);
        UUID task = task(owner);

        ApplicationFailure refusal = failure(() -> environment().activities().complete(call(task, 100)));

        assertThat(refusal.getType()).isEqualTo(LlmFailureTypes.BUDGET_EXCEEDED);
        assertThat(refusal.isNonRetryable()).isTrue();
        assertThat(refusal.getOriginalMessage()).contains("daily budget of 25 tokens (25 left today");
        azure.verify(0, postRequestedFor(urlPathEqualTo(LlmFakes.AZURE_CHAT)));
        assertThat(usage.spentByTask(task).block()).isZero();
    }

    @Test
    void aContentFilteredAnswersTokensAreRecorded() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .willReturn(json(200, "azure-chat-filtered-answer.json")));
        User owner = user(1_000L);
        UUID task = task(owner);

        ApplicationFailure filtered = failure(() -> environment().activities().complete(call(task, 100)));

        assertThat(filtered.getType()).isEqualTo(LlmFailureTypes.CONTENT_FILTERED);
        assertThat(usage.spentByTask(task).block()).isEqualTo(42);
        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(42);
    }

    @Test
    void anAttemptRunAgainReservesAndRecordsOnce() {
        User owner = user(1_000L);
        ChatCompletionInput call = call(task(owner), 100);
        LlmActivityEnvironment environment = environment();

        environment.activities().complete(call);
        environment.activities().complete(call);

        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(33);
    }

    @Test
    void aCallTheProviderAnsweredWithAnErrorChargesNothing() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).willReturn(json(500, "azure-server-error.json")));
        User owner = user(1_000L);
        UUID task = task(owner);

        assertThat(failure(() -> environment().activities().complete(call(task, 100))).getType())
                .isEqualTo(LlmFailureTypes.PROVIDER_UNAVAILABLE);

        assertThat(usage.spentToday(owner.id()).block()).isZero();
    }

    @Test
    void aCallWhoseAnswerWasLostStaysChargedAtItsReservation() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        User owner = user(1_000L);
        UUID task = task(owner);

        assertThat(failure(() -> environment().activities().complete(call(task, 100))).getType())
                .isEqualTo(LlmFailureTypes.PROVIDER_UNAVAILABLE);

        assertThat(usage.spentByTask(task).block()).isEqualTo(PROMPT + 100);
        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(PROMPT + 100);
    }

    @Test
    void aStreamThatBrokeOffWithAnErrorEventStaysChargedAtItsReservation() {
        List<String> chunks = StreamedFixtures.chunks("azure-chat-answer.json", true, true);
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).willReturn(StreamedFixtures.stream(
                "data: " + chunks.get(1) + "\n\ndata: " + chunks.get(2) + "\n\ndata: {\"error\": {\"message\":"
                        + " \"The server had an error.\", \"type\": \"server_error\"}}\n\n", 2, 50)));
        User owner = user(1_000L);
        UUID task = task(owner);

        assertThat(failure(() -> environment().activities().complete(call(task, 100))).getType())
                .isEqualTo(LlmFailureTypes.PROVIDER_UNAVAILABLE);

        assertThat(usage.spentByTask(task).block()).isEqualTo(PROMPT + 100);
    }

    @Test
    void anAzureCallThatCouldNotConnectChargesNothing() {
        aCallThatCouldNotConnectChargesNothing(LlmFakes.azure("http://127.0.0.1:" + LlmFakes.closedPort()));
    }

    @Test
    void anOpenAiCompatibleCallThatCouldNotConnectChargesNothing() {
        aCallThatCouldNotConnectChargesNothing(LlmFakes.openAi("http://127.0.0.1:" + LlmFakes.closedPort()));
    }

    private void aCallThatCouldNotConnectChargesNothing(LlmProperties unreachable) {
        User owner = user(1_000L);
        UUID task = task(owner);

        assertThat(failure(() -> environment(unreachable).activities().complete(call(task, 100))).getType())
                .isEqualTo(LlmFailureTypes.PROVIDER_UNAVAILABLE);

        // The attempt reserved, then settled at nothing: the request never left.
        assertThat(attempts(task)).containsExactly("1 settled " + (PROMPT + 100) + " 0");
        assertThat(usage.spentToday(owner.id()).block()).isZero();
    }

    @Test
    void anOwnerWithoutABudgetIsChargedWhatTheCallUsedAndItsCapIsLeftAlone() {
        User owner = user(null);
        UUID task = task(owner);

        environment().activities().complete(call(task, null));

        azure.verify(postRequestedFor(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .withRequestBody(matchingJsonPath("$[?(!@.max_tokens)]")));
        assertThat(usage.spentToday(owner.id()).block()).isEqualTo(33);
    }

    private LlmActivityEnvironment environment() {
        return environment(LlmFakes.azure(azure.baseUrl()));
    }

    private LlmActivityEnvironment environment(LlmProperties provider) {
        LlmActivityEnvironment environment = new LlmActivityEnvironment(new LlmActivitiesImpl(
                provider, DeploymentRateLimiter.NONE, charges));
        environments.add(environment);
        return environment;
    }

    private List<String> attempts(UUID task) {
        return db.sql("SELECT attempt, state, reserved_tokens, charged_tokens FROM token_usage WHERE task_id = :task"
                        + " ORDER BY attempt")
                .bind("task", task)
                .map(row -> row.get("attempt", Integer.class) + " " + row.get("state", String.class) + " "
                        + row.get("reserved_tokens", Long.class) + " " + row.get("charged_tokens", Long.class))
                .all().collectList().block();
    }

    private static ChatCompletionInput call(UUID task, Integer maxTokens) {
        return new ChatCompletionInput(task.toString(), null, null, List.of(ChatMessage.user("Capital of France?")),
                List.of(), null, maxTokens, 1, PROMPT_ESTIMATE);
    }

    private User user(Long dailyBudget) {
        User user = userStore.insert(uniqueName("spender"), "{noop}x", Role.USER, UserProfile.EMPTY).block();
        if (dailyBudget != null) {
            userStore.update(user.id(), null, null, dailyBudget, false).block();
        }
        return user;
    }

    private UUID task(User owner) {
        return tasks.insert(new NewTask(owner.id(), "completion", json.valueToTree(Map.of("prompt", "hi")),
                TaskPriority.NORMAL, 60, null, null)).block().task().id();
    }

    /** Makes {@code count} calls of {@code owner}'s tasks at once; answers each call's failure, or null. */
    private List<Throwable> callTogether(User owner, int count, int maxTokens) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(count);
        CyclicBarrier together = new CyclicBarrier(count);
        List<Future<Throwable>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LlmActivityEnvironment environment = environment();
            ChatCompletionInput call = call(task(owner), maxTokens);
            calls.add(callers.submit(() -> {
                together.await();
                try {
                    environment.activities().complete(call);
                    return null;
                } catch (RuntimeException e) {
                    return e.getCause();
                }
            }));
        }
        List<Throwable> outcomes = new ArrayList<>();
        for (Future<Throwable> call : calls) {
            outcomes.add(call.get(60, TimeUnit.SECONDS));
        }
        callers.shutdown();
        return outcomes;
    }
}
