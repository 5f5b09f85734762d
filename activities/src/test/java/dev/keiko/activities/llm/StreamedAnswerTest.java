package dev.keiko.activities.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.keiko.activities.ActivityEnvironment.failure;
import static dev.keiko.activities.llm.LlmFakes.json;
import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.LlmFailureTypes;
import dev.keiko.workflows.llm.TokenUsage;
import com.sun.management.OperatingSystemMXBean;
import io.temporal.failure.ApplicationFailure;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streamed chat completions of both providers: the chunks of an answer assemble to the very output the whole answer
 * gives, the usage comes from the include-usage chunk or is estimated and said to be, and a stream that breaks off
 * is a failure Temporal retries.
 */
class StreamedAnswerTest {

    @RegisterExtension
    static final WireMockExtension fake = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    @ParameterizedTest
    @CsvSource({"openai, openai-chat-answer.json", "openai, openai-chat-tool-calls.json",
            "azure, azure-chat-answer.json", "azure, azure-chat-tool-call.json", "azure, azure-chat-tool-calls.json"})
    void aStreamedAnswerAssemblesToTheOutputOfTheWholeAnswer(String provider, String fixture) {
        ChatCompletionInput question = fixture.contains("tool") ? LlmFakes.withTools() : LlmFakes.question();
        fake.stubFor(post(urlPathEqualTo(path(provider))).willReturn(json(200, fixture)));
        ChatCompletionOutput whole = complete(provider, question);
        fake.resetAll();
        List<String> chunks = StreamedFixtures.chunks(fixture, LlmProperties.AZURE.equals(provider), true);
        fake.stubFor(post(urlPathEqualTo(path(provider)))
                .willReturn(StreamedFixtures.stream(StreamedFixtures.events(chunks), chunks.size(), 300)));

        ChatCompletionOutput streamed = complete(provider, question);

        assertThat(streamed).isEqualTo(whole);
        assertThat(streamed.usage().estimated()).isFalse();
        assertThat(streamed.usage().totalTokens()).isPositive();
        fake.verify(postRequestedFor(urlPathEqualTo(path(provider)))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {LlmProperties.AZURE, LlmProperties.OPENAI})
    void aWholeJsonAnswerIsReadWhateverItsContentTypeSays(String provider) {
        fake.stubFor(post(urlPathEqualTo(path(provider))).willReturn(json(200, fixture(provider))));
        ChatCompletionOutput labelledJson = complete(provider, LlmFakes.question());
        fake.resetAll();
        fake.stubFor(post(urlPathEqualTo(path(provider)))
                .willReturn(json(200, fixture(provider)).withHeader("Content-Type", "text/plain")));

        assertThat(complete(provider, LlmFakes.question())).isEqualTo(labelledJson);
    }

    @ParameterizedTest
    @ValueSource(strings = {LlmProperties.AZURE, LlmProperties.OPENAI})
    void withoutAUsageChunkTheUsageIsAnEstimateSaidToBeOne(String provider) {
        List<String> chunks = StreamedFixtures.chunks(fixture(provider), LlmProperties.AZURE.equals(provider), false);
        fake.stubFor(post(urlPathEqualTo(path(provider)))
                .willReturn(StreamedFixtures.stream(StreamedFixtures.events(chunks), 3, 100)));

        ChatCompletionOutput output = complete(provider, LlmFakes.question());

        assertThat(output.content()).isEqualTo("Paris is the capital of France.");
        assertThat(output.finishReason()).isEqualTo("stop");
        // The prompt: 45 characters make 12 tokens, with 4 for each of its 2 messages and 3 for the reply; the
        // answer: 31 characters make 8.
        assertThat(output.usage()).isEqualTo(new TokenUsage(23, 8, 31, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {LlmProperties.AZURE, LlmProperties.OPENAI})
    void aStreamThatBreaksOffMidAnswerIsRetried(String provider) {
        List<String> chunks = StreamedFixtures.chunks(fixture(provider), LlmProperties.AZURE.equals(provider), true);
        StringBuilder half = new StringBuilder();
        chunks.subList(0, chunks.size() / 2).forEach(chunk -> half.append("data: ").append(chunk).append("\n\n"));
        fake.stubFor(post(urlPathEqualTo(path(provider))).willReturn(StreamedFixtures.stream(half.toString(), 2, 50)));

        ApplicationFailure failure = failure(() -> complete(provider, LlmFakes.question()));

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.PROVIDER_UNAVAILABLE);
        assertThat(failure.isNonRetryable()).isFalse();
        assertThat(failure.getOriginalMessage()).contains("stream ended before its answer did");
    }

    @ParameterizedTest
    @ValueSource(strings = {LlmProperties.AZURE, LlmProperties.OPENAI})
    void anErrorEventMidAnswerIsRetried(String provider) {
        List<String> chunks = StreamedFixtures.chunks(fixture(provider), LlmProperties.AZURE.equals(provider), true);
        String events = "data: " + chunks.get(1) + "\n\ndata: " + chunks.get(2) + "\n\n"
                + "data: {\"error\": {\"message\": \"The server had an error while processing your request.\","
                + " \"type\": \"server_error\"}}\n\n";
        fake.stubFor(post(urlPathEqualTo(path(provider)))
                .willReturn(StreamedFixtures.stream(events, 2, 50)));

        ApplicationFailure failure = failure(() -> complete(provider, LlmFakes.question()));

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.PROVIDER_UNAVAILABLE);
        assertThat(failure.isNonRetryable()).isFalse();
        assertThat(failure.getOriginalMessage()).contains("broke off its answer: The server had an error");
    }

    @ParameterizedTest
    @ValueSource(strings = {LlmProperties.AZURE, LlmProperties.OPENAI})
    void anErrorStatusOfAStreamingRequestIsClassifiedAsBefore(String provider) {
        fake.stubFor(post(urlPathEqualTo(path(provider))).willReturn(json(429, "openai-rate-limited.json")
                .withHeader("retry-after-ms", "1500")));

        ApplicationFailure failure = failure(() -> complete(provider, LlmFakes.question()));

        assertThat(failure.getType()).isEqualTo(LlmFailureTypes.RATE_LIMITED);
        assertThat(failure.getNextRetryDelay()).hasMillis(1500);
        assertThat(failure.getOriginalMessage()).contains("Rate limit reached for gpt-4o-mini");
    }

    @Test
    void waitingForALongAnswerWithoutATaskToPublishToLeavesTheCpuAlone() {
        String text = IntStream.range(0, 2000).mapToObj(SlowStreamServer::word).collect(joining());
        List<String> chunks = StreamedFixtures.textChunks(text, 20);
        fake.stubFor(post(urlPathEqualTo(LlmFakes.OPENAI_CHAT))
                .willReturn(StreamedFixtures.stream(StreamedFixtures.events(chunks), chunks.size(), 3000)));
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (LlmActivityEnvironment environment = new LlmActivityEnvironment(
                new LlmActivitiesImpl(LlmFakes.openAi(fake.baseUrl())))) {
            // Set up and warmed by a first call, so that what is measured is the wait, not the test's own start.
            environment.activities().complete(LlmFakes.question());
            long cpuBefore = os.getProcessCpuTime();
            long started = System.nanoTime();

            assertThat(environment.activities().complete(LlmFakes.question()).content()).isEqualTo(text);

            long wall = System.nanoTime() - started;
            assertThat(os.getProcessCpuTime() - cpuBefore).as("CPU time of a %d ms call", wall / 1_000_000)
                    .isLessThan(wall / 2);
        }
    }

    private static ChatCompletionOutput complete(String provider, ChatCompletionInput input) {
        LlmProperties properties = LlmProperties.AZURE.equals(provider) ? LlmFakes.azure(fake.baseUrl())
                : LlmFakes.openAi(fake.baseUrl());
        try (LlmActivityEnvironment environment = new LlmActivityEnvironment(new LlmActivitiesImpl(properties))) {
            return environment.activities().complete(input);
        }
    }

    private static String path(String provider) {
        return LlmProperties.AZURE.equals(provider) ? LlmFakes.AZURE_CHAT : LlmFakes.OPENAI_CHAT;
    }

    private static String fixture(String provider) {
        return LlmProperties.AZURE.equals(provider) ? "azure-chat-answer.json" : "openai-chat-answer.json";
    }
}
