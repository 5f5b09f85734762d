package dev.keiko.activities.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.keiko.activities.ActivityEnvironment.failure;
import static dev.keiko.activities.llm.LlmFakes.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.LlmFailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the error answers of Azure OpenAI, in its own shapes, become the activity's failures. */
class AzureFailureTest extends FakeProviderTest {

    @RegisterExtension
    static final WireMockExtension azure = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    @Override
    LlmProperties properties() {
        return LlmFakes.azure(azure.baseUrl());
    }

    @Test
    void rateLimitWaitsTheSecondsOfRetryAfter() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .willReturn(json(429, "azure-rate-limited.json").withHeader("Retry-After", "7")));

        ApplicationFailure failure = failure(this::complete);

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.RATE_LIMITED);
        assertThat(failure.isNonRetryable()).isFalse();
        assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(7));
        // Temporal retries, not the SDK.
        azure.verify(1, postRequestedFor(urlPathEqualTo(LlmFakes.AZURE_CHAT)));
    }

    @Test
    void rateLimitWaitsTheMillisecondsOfRetryAfterMs() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).willReturn(json(429, "azure-rate-limited.json")
                .withHeader("retry-after-ms", "1500").withHeader("Retry-After", "1")));

        ApplicationFailure failure = failure(this::complete);

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.RATE_LIMITED);
        assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void serverErrorIsRetriedAsUnavailable() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).willReturn(json(500, "azure-server-error.json")));

        ApplicationFailure failure = failure(this::complete);

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.PROVIDER_UNAVAILABLE);
        assertThat(failure.isNonRetryable()).isFalse();
        assertThat(failure.getOriginalMessage()).contains("HTTP 500", "The server had an error");
        azure.verify(1, postRequestedFor(urlPathEqualTo(LlmFakes.AZURE_CHAT)));
    }

    @Test
    void contentFilterRefusalOfThePromptFailsAtOnce() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).willReturn(json(400, "azure-content-filter.json")));

        ApplicationFailure failure = failure(this::complete);

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.CONTENT_FILTERED);
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).contains("content management policy")
                .doesNotContain("capital of France");
    }

    @Test
    void answerStoppedByTheContentFilterFailsAtOnce() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .willReturn(json(200, "azure-chat-filtered-answer.json")));

        ApplicationFailure failure = failure(this::complete);

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.CONTENT_FILTERED);
        assertThat(failure.isNonRetryable()).isTrue();
    }

    @Test
    void otherBadRequestCarriesTheProvidersMessage() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).willReturn(json(400, "azure-bad-request.json")));

        ApplicationFailure failure = failure(this::complete);

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.BAD_REQUEST);
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).contains("Invalid value for 'temperature'")
                .doesNotContain("capital of France");
    }

    @Test
    void unauthorizedFailsAuthentication() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT)).willReturn(json(401, "azure-unauthorized.json")));

        ApplicationFailure failure = failure(this::complete);

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.AUTHENTICATION_FAILED);
        assertThat(failure.isNonRetryable()).isTrue();
    }

    @Test
    void missingDeploymentIsUnknown() {
        azure.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .willReturn(json(404, "azure-deployment-not-found.json")));

        ApplicationFailure failure = failure(this::complete);

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.UNKNOWN_DEPLOYMENT);
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).contains("'" + LlmFakes.AZURE_DEPLOYMENT + "'",
                "deployment for this resource does not exist");
    }

    @Test
    void unreachableEndpointIsRetriedAsUnavailable() {
        try (LlmActivityEnvironment unreachable = new LlmActivityEnvironment(
                new LlmActivitiesImpl(LlmFakes.azure("http://127.0.0.1:" + LlmFakes.closedPort())))) {
            ApplicationFailure failure = failure(() -> unreachable.activities().complete(LlmFakes.question()));

            assertThat(failure.getType()).isEqualTo(LlmFailureTypes.PROVIDER_UNAVAILABLE);
            assertThat(failure.isNonRetryable()).isFalse();
        }
    }

    private void complete() {
        ChatCompletionInput input = LlmFakes.question();
        environment.activities().complete(input);
    }
}
