package dev.keiko.launcher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** Completion tasks end to end: REST → workflow on the worker process → Azure OpenAI (a WireMock fake) → REST. */
class CompletionFlowTest {

    static DevSystem system;
    static TestUser user;

    @BeforeAll
    static void start() {
        system = DevSystem.shared();
        user = system.user(Role.USER);
    }

    @Test
    void aCompletionTaskCallsTheModelAndStoresTextAndTokens() {
        String deployment = "completion-flow";
        DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo("/openai/deployments/" + deployment + "/chat/completions"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id": "chatcmpl-1", "object": "chat.completion", "created": 1764150000, "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": "Paris."}}],
                         "usage": {"prompt_tokens": 21, "completion_tokens": 2, "total_tokens": 23}}
                        """)));

        String id = (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("type", "completion", "parameters", Map.of("prompt", "Capital of France?",
                        "system", "Answer in one word.", "deployment", deployment, "maxTokens", 20)))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");

        Map<?, ?> task = TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(30));
        Map<?, ?> result = (Map<?, ?>) task.get("result");
        assertThat(((Map<?, ?>) result.get("data")).get("text")).isEqualTo("Paris.");
        assertThat(((Map<?, ?>) result.get("metadata")).get("tokens"))
                .isEqualTo(Map.of("prompt", 21, "completion", 2, "total", 23));
        assertThat(((Map<?, ?>) result.get("metadata")).get("step")).isEqualTo("llm: " + deployment);
        DevSystem.AZURE_OPENAI.verify(postRequestedFor(
                urlPathEqualTo("/openai/deployments/" + deployment + "/chat/completions"))
                .withHeader("api-key", equalTo("azure-test-key"))
                .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("system")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Capital of France?"))));
    }

    @Test
    void callsToARateLimitedDeploymentTakeTurnsAndARefusedCallIsRetriedAtItsTurn() {
        // DevSystem limits this deployment to 6 calls a minute, waiting at most 1 s in an activity.
        String path = "/openai/deployments/" + DevSystem.RATE_LIMITED_DEPLOYMENT + "/chat/completions";
        DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo(path))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id": "chatcmpl-r", "object": "chat.completion", "created": 1764150000, "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": "In turn."}}],
                         "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}}
                        """)));

        List<String> ids = List.of(submitCompletion(DevSystem.RATE_LIMITED_DEPLOYMENT),
                submitCompletion(DevSystem.RATE_LIMITED_DEPLOYMENT));

        for (String id : ids) {
            TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(40));
        }
        List<Long> arrivals = DevSystem.AZURE_OPENAI.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(request -> request.getUrl().startsWith(path))
                .map(request -> request.getLoggedDate().getTime()).sorted().toList();
        assertThat(arrivals).hasSize(2);
        assertThat(arrivals.get(1) - arrivals.get(0)).isGreaterThan(9_000);
        // One of the two calls was turned away once and came back for the turn it kept: two attempts in all.
        List<Integer> attempts = ids.stream().map(this::mostAttemptsOfAnActivity).sorted().toList();
        assertThat(attempts).containsExactly(1, 2);
    }

    private int mostAttemptsOfAnActivity(String taskId) {
        TaskFlowTest.awaitWorkflowEnd(system, taskId);
        return system.api.getBean(WorkflowClient.class).fetchHistory("task-" + taskId).getEvents().stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
                .mapToInt(event -> event.getActivityTaskStartedEventAttributes().getAttempt()).max().orElse(0);
    }

    private String submitCompletion(String deployment) {
        return (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("type", "completion", "parameters", Map.of("prompt", "Wait your turn",
                        "deployment", deployment)))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    @Test
    void aContentFilterRefusalFailsTheTaskAtOnce() {
        String deployment = "content-filtered";
        DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo("/openai/deployments/" + deployment + "/chat/completions"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("""
                        {"error": {"message": "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
                                   "type": null, "param": "prompt", "code": "content_filter", "status": 400,
                                   "innererror": {"code": "ResponsibleAIPolicyViolation"}}}
                        """)));

        String id = (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("type", "completion", "parameters", Map.of("prompt", "something filtered",
                        "deployment", deployment)))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");

        Map<?, ?> task = TaskFlowTest.awaitStatus(system.web, user, id, "failed", Duration.ofSeconds(30));
        assertThat(((Map<?, ?>) task.get("result")).get("errorType")).isEqualTo("CONTENT_FILTERED");
        DevSystem.AZURE_OPENAI.verify(1, postRequestedFor(
                urlPathEqualTo("/openai/deployments/" + deployment + "/chat/completions")));
    }

    @Test
    void aUserOverTheirDailyBudgetGetsNoModelCall() {
        TestUser thrifty = system.user(Role.USER);
        TestUser admin = system.user(Role.ADMIN);
        system.web.patch().uri("/api/v1/users/{id}", thrifty.id()).header(HttpHeaders.AUTHORIZATION, admin.bearer())
                .bodyValue(Map.of("dailyTokenBudget", 5))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.dailyTokenBudget").isEqualTo(5);
        String deployment = "over-budget";

        String id = (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, thrifty.bearer())
                .bodyValue(Map.of("type", "completion", "parameters", Map.of("prompt",
                        "a prompt that needs more tokens than five", "deployment", deployment)))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");

        Map<?, ?> task = TaskFlowTest.awaitStatus(system.web, thrifty, id, "failed", Duration.ofSeconds(30));
        assertThat(((Map<?, ?>) task.get("result")).get("errorType")).isEqualTo("BUDGET_EXCEEDED");
        DevSystem.AZURE_OPENAI.verify(0, postRequestedFor(
                urlPathEqualTo("/openai/deployments/" + deployment + "/chat/completions")));
    }

    @Test
    void theTokensOfACompletionCountTowardsItsOwnersDay() {
        TestUser spender = system.user(Role.USER);
        String deployment = "spender";
        DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo("/openai/deployments/" + deployment + "/chat/completions"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id": "chatcmpl-2", "object": "chat.completion", "created": 1764150000, "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": "ok"}}],
                         "usage": {"prompt_tokens": 30, "completion_tokens": 7, "total_tokens": 37}}
                        """)));
        String id = (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, spender.bearer())
                .bodyValue(Map.of("type", "completion", "parameters", Map.of("prompt", "hi", "deployment", deployment)))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        TaskFlowTest.awaitStatus(system.web, spender, id, "completed", Duration.ofSeconds(30));

        system.web.get().uri("/api/v1/users/me").header(HttpHeaders.AUTHORIZATION, spender.bearer())
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.tokensToday").isEqualTo(37);
    }
}
