package dev.keiko.activities.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.keiko.activities.ActivityEnvironment.failure;
import static dev.keiko.activities.llm.LlmFakes.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.llm.LlmFailureTypes;
import dev.keiko.workflows.llm.TokenUsage;
import dev.keiko.workflows.llm.ToolCallRequest;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An OpenAI-compatible endpoint, faked with OpenAI's paths and wire format over plain HTTP. */
class OpenAiCompatibleTest extends FakeProviderTest {

    @RegisterExtension
    static final WireMockExtension openAi = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    @Override
    LlmProperties properties() {
        return LlmFakes.openAi(openAi.baseUrl());
    }

    @Test
    void answersWithUsageSendingTheBearerToken() {
        openAi.stubFor(post(urlEqualTo(LlmFakes.OPENAI_CHAT)).willReturn(json(200, "openai-chat-answer.json")));

        ChatCompletionOutput output = environment.activities().complete(LlmFakes.question());

        assertThat(output).isEqualTo(new ChatCompletionOutput("Paris is the capital of France.", List.of(), "stop",
                new TokenUsage(24, 8, 32), "gpt-4o-mini-2024-07-18"));
        openAi.verify(postRequestedFor(urlEqualTo(LlmFakes.OPENAI_CHAT))
                .withHeader("Authorization", equalTo("Bearer " + LlmFakes.OPENAI_KEY))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(LlmFakes.OPENAI_MODEL)))
                .withRequestBody(matchingJsonPath("$.messages[1].role", equalTo("user")))
                .withRequestBody(matchingJsonPath("$.temperature", equalTo("0.2")))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("100"))));
    }

    @Test
    void sendsNoAuthorizationWithoutAKey() {
        openAi.stubFor(post(urlEqualTo(LlmFakes.OPENAI_CHAT)).willReturn(json(200, "openai-chat-answer.json")));
        LlmProperties local = new LlmProperties(LlmProperties.OPENAI, LlmFakes.openAi(openAi.baseUrl()).azure(),
                new LlmProperties.OpenAi(openAi.baseUrl() + "/v1/", null, "llama3.2", null), null);

        try (LlmActivityEnvironment keyless = new LlmActivityEnvironment(new LlmActivitiesImpl(local))) {
            keyless.activities().complete(LlmFakes.question());
        }

        openAi.verify(postRequestedFor(urlEqualTo(LlmFakes.OPENAI_CHAT)).withoutHeader("Authorization")
                .withRequestBody(matchingJsonPath("$.model", equalTo("llama3.2"))));
    }

    @Test
    void returnsSeveralToolCallsWithTheirArgumentsAsSent() {
        openAi.stubFor(post(urlEqualTo(LlmFakes.OPENAI_CHAT)).willReturn(json(200, "openai-chat-tool-calls.json")));

        ChatCompletionOutput output = environment.activities().complete(LlmFakes.withTools());

        assertThat(output.finishReason()).isEqualTo("tool_calls");
        assertThat(output.content()).isNull();
        assertThat(output.toolCalls()).extracting(ToolCallRequest::id, ToolCallRequest::name,
                ToolCallRequest::argumentsJson).containsExactly(
                tuple("call_a1B2c3D4e5F6g7H8i9J0", "get_weather", "{\"city\":\"Paris\"}"),
                tuple("call_k1L2m3N4o5P6q7R8s9T0", "get_time",
                        "{\"timezone\":\"Asia/Tokyo\",\"format\":{\"hour12\":false}}"));
        openAi.verify(postRequestedFor(urlEqualTo(LlmFakes.OPENAI_CHAT))
                .withRequestBody(matchingJsonPath("$.tools[0].type", equalTo("function")))
                .withRequestBody(matchingJsonPath("$.tools[0].function.name", equalTo("get_weather")))
                .withRequestBody(matchingJsonPath("$.tools[0].function.parameters.required[0]", equalTo("city"))));
    }

    @Test
    void toolCallsWithoutIdNameOrArgumentsComeBackForTheWorkflowToCheck() {
        openAi.stubFor(post(urlEqualTo(LlmFakes.OPENAI_CHAT)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id": "c", "object": "chat.completion", "model": "llama3.2",
                         "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant",
                           "tool_calls": [{"type": "function", "function": {"name": "get_time"}},
                                          {"id": "call_2", "type": "function", "function": {"arguments": null}},
                                          {"id": "call_3", "type": "function",
                                           "function": {"name": "get_weather", "arguments": [1, 2]}}]}}]}
                        """)));

        ChatCompletionOutput output = environment.activities().complete(LlmFakes.withTools());

        assertThat(output.content()).isNull();
        assertThat(output.toolCalls()).containsExactly(new ToolCallRequest(null, "get_time", "{}"),
                new ToolCallRequest("call_2", null, "{}"), new ToolCallRequest("call_3", "get_weather", "[1,2]"));
    }

    @Test
    void returnsTheImageUrl() {
        openAi.stubFor(post(urlEqualTo(LlmFakes.OPENAI_IMAGES)).willReturn(json(200, "openai-image.json")));

        List<String> urls = environment.activities()
                .generateImage(new ImageGenerationInput("task-1", null, null, "A lighthouse", null)).urls();

        assertThat(urls).singleElement().asString().startsWith("https://oaidalleapiprodscus.blob.core.windows.net/");
        openAi.verify(postRequestedFor(urlEqualTo(LlmFakes.OPENAI_IMAGES))
                .withHeader("Authorization", equalTo("Bearer " + LlmFakes.OPENAI_KEY))
                .withRequestBody(matchingJsonPath("$.model", equalTo("dall-e-3"))));
    }

    @Test
    void rateLimitWaitsWhatTheHeadersAsk() {
        openAi.stubFor(post(urlEqualTo(LlmFakes.OPENAI_CHAT)).willReturn(json(429, "openai-rate-limited.json")
                .withHeader("retry-after-ms", "1500")));

        ApplicationFailure failure = failure(() -> environment.activities().complete(LlmFakes.question()));

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.RATE_LIMITED);
        assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(failure.getOriginalMessage()).contains("Rate limit reached for gpt-4o-mini");
    }

    @Test
    void anAnswerSlowerThanTheResponseTimeoutFailsRetryableAtTheTimeout() {
        openAi.stubFor(post(urlEqualTo(LlmFakes.OPENAI_CHAT)).willReturn(json(200, "openai-chat-answer.json")
                .withFixedDelay(5_000)));
        LlmProperties configured = LlmFakes.openAi(openAi.baseUrl());
        LlmProperties impatient = new LlmProperties(configured.provider(), configured.azure(), configured.openai(),
                Duration.ofMillis(500));

        long started = System.nanoTime();
        ApplicationFailure failure;
        try (LlmActivityEnvironment shortTimeout = new LlmActivityEnvironment(new LlmActivitiesImpl(impatient))) {
            failure = failure(() -> shortTimeout.activities().complete(LlmFakes.question()));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.PROVIDER_UNAVAILABLE);
        assertThat(failure.isNonRetryable()).isFalse();
        assertThat(took).isBetween(Duration.ofMillis(500), Duration.ofMillis(4_000));
        assertThat(configured.responseTimeout()).isEqualTo(LlmProperties.DEFAULT_RESPONSE_TIMEOUT);
    }

    @Test
    void errorsAreClassifiedLikeAzures() {
        assertThat(failureFor(401, "openai-invalid-api-key.json").getType())
                .isEqualTo(LlmFailureTypes.AUTHENTICATION_FAILED);
        assertThat(failureFor(404, "openai-model-not-found.json").getType())
                .isEqualTo(LlmFailureTypes.UNKNOWN_DEPLOYMENT);
        ApplicationFailure rateLimited = failureFor(429, "openai-rate-limited.json");
        assertThat(rateLimited.getType()).isEqualTo(LlmFailureTypes.RATE_LIMITED);
        assertThat(rateLimited.getNextRetryDelay()).as("no Retry-After: the retry policy's backoff").isNull();
        ApplicationFailure unavailable = failureFor(503, "azure-server-error.json");
        assertThat(unavailable.getType()).isEqualTo(LlmFailureTypes.PROVIDER_UNAVAILABLE);
        assertThat(unavailable.isNonRetryable()).isFalse();
    }

    private ApplicationFailure failureFor(int status, String body) {
        openAi.resetAll();
        openAi.stubFor(post(urlEqualTo(LlmFakes.OPENAI_CHAT)).willReturn(json(status, body)));
        return failure(() -> environment.activities().complete(LlmFakes.question()));
    }
}
