package dev.keiko.activities.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.keiko.activities.llm.LlmFakes.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static java.util.stream.Collectors.joining;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keiko.activities.HeartbeatingWait;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.TokenUsage;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A slow model: the activity heartbeats while it waits, and a cancelled activity stops at once,
 * aborting the HTTP call rather than waiting for the answer, and returns that nothing arrived.
 */
class LlmCancellationTest {

    private static final int ANSWER_DELAY_MILLIS = 15_000;

    @RegisterExtension
    static final WireMockExtension slow = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    @ParameterizedTest
    @ValueSource(strings = {LlmProperties.AZURE, LlmProperties.OPENAI})
    void cancellingTheActivityStopsTheCallAndReturnsWhatArrived(String provider) throws Exception {
        slow.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .willReturn(json(200, "azure-chat-answer.json").withFixedDelay(ANSWER_DELAY_MILLIS)));
        slow.stubFor(post(urlPathEqualTo(LlmFakes.OPENAI_CHAT))
                .willReturn(json(200, "openai-chat-answer.json").withFixedDelay(ANSWER_DELAY_MILLIS)));
        LlmProperties properties = LlmProperties.AZURE.equals(provider) ? LlmFakes.azure(slow.baseUrl())
                : LlmFakes.openAi(slow.baseUrl());
        List<Long> heartbeats = new CopyOnWriteArrayList<>();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (LlmActivityEnvironment environment = new LlmActivityEnvironment(new LlmActivitiesImpl(properties))) {
            environment.onHeartbeat(heartbeats::add);
            Future<ChatCompletionOutput> outcome = caller.submit(
                    () -> environment.activities().complete(LlmFakes.question()));
            waitForRequest();
            Thread.sleep(3 * HeartbeatingWait.INTERVAL.toMillis());

            long cancelledAt = System.nanoTime();
            environment.requestCancel();
            ChatCompletionOutput cancelled = outcome.get(10, TimeUnit.SECONDS);

            assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(3));
            assertThat(cancelled.finishReason()).isEqualTo("cancelled");
            assertThat(cancelled.content()).as("nothing arrived").isNull();
            // 45 characters of prompt make 12 tokens, with 4 for each of its 2 messages and 3 for the reply.
            assertThat(cancelled.usage()).isEqualTo(new TokenUsage(23, 0, 23, true));
            assertThat(heartbeats).isNotEmpty().allSatisfy(waited -> assertThat(waited).isPositive());
        } finally {
            caller.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {LlmProperties.AZURE, LlmProperties.OPENAI})
    void interruptingTheProviderAbortsItsHttpCall(String provider) throws Exception {
        slow.stubFor(post(urlPathEqualTo(LlmFakes.AZURE_CHAT))
                .willReturn(json(200, "azure-chat-answer.json").withFixedDelay(ANSWER_DELAY_MILLIS)));
        slow.stubFor(post(urlPathEqualTo(LlmFakes.OPENAI_CHAT))
                .willReturn(json(200, "openai-chat-answer.json").withFixedDelay(ANSWER_DELAY_MILLIS)));
        ChatProvider chat = LlmProperties.AZURE.equals(provider)
                ? new AzureOpenAiProvider(LlmFakes.azure(slow.baseUrl()).azure(),
                        LlmProperties.DEFAULT_RESPONSE_TIMEOUT)
                : new OpenAiCompatibleProvider(LlmFakes.openAi(slow.baseUrl()).openai(),
                        LlmProperties.DEFAULT_RESPONSE_TIMEOUT);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread call = Thread.ofVirtual().start(() -> thrown.set(catchThrowable(
                () -> chat.complete("gpt-4o", LlmFakes.question(), new ChatAnswer()))));
        waitForRequest();

        long interruptedAt = System.nanoTime();
        call.interrupt();

        assertThat(call.join(Duration.ofSeconds(5))).as("the call ended").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(thrown.get()).satisfiesAnyOf(
                error -> assertThat(error).isInstanceOf(InterruptedException.class),
                error -> assertThat(error).hasRootCauseInstanceOf(InterruptedException.class));
    }

    private static long modelCalls(SimpleMeterRegistry meters, String provider, String outcome) {
        return meters.find("keiko.model.calls").tags("provider", provider, "outcome", outcome).timers().stream()
                .mapToLong(timer -> timer.count()).sum();
    }

    @ParameterizedTest
    @ValueSource(strings = {LlmProperties.AZURE, LlmProperties.OPENAI})
    void cancellingMidAnswerReturnsTheTextSoFarAndEndsTheHttpExchange(String provider) throws Exception {
        ExecutorService caller = Executors.newSingleThreadExecutor();
        // The activity's meters go to the global registry here (ModelCallMetrics.NONE).
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Metrics.globalRegistry.add(meters);
        try (SlowStreamServer model = new SlowStreamServer();
                LlmActivityEnvironment environment = new LlmActivityEnvironment(new LlmActivitiesImpl(
                        LlmProperties.AZURE.equals(provider) ? LlmFakes.azure(model.baseUrl())
                                : LlmFakes.openAi(model.baseUrl())))) {
            Future<ChatCompletionOutput> outcome = caller.submit(
                    () -> environment.activities().complete(LlmFakes.question()));
            await().atMost(Duration.ofSeconds(10)).until(() -> model.wordsSent() >= 10);

            environment.requestCancel();
            ChatCompletionOutput cancelled = outcome.get(10, TimeUnit.SECONDS);

            assertThat(model.clientLeftWithin(Duration.ofSeconds(5))).as("the HTTP exchange ended").isTrue();
            int sentBeforeItEnded = model.wordsSent();
            Thread.sleep(5 * SlowStreamServer.WORD_INTERVAL.toMillis());
            assertThat(model.wordsSent()).isEqualTo(sentBeforeItEnded);
            assertThat(cancelled.finishReason()).isEqualTo("cancelled");
            assertThat(cancelled.toolCalls()).isEmpty();
            assertThat(cancelled.model()).isEqualTo("slow-model");
            int words = cancelled.content().split(" ").length;
            assertThat(words).isBetween(10, sentBeforeItEnded);
            assertThat(cancelled.content()).as("every word that arrived, in order")
                    .isEqualTo(IntStream.range(0, words).mapToObj(SlowStreamServer::word).collect(joining()));
            long answerTokens = (cancelled.content().length() + 3) / 4;
            assertThat(cancelled.usage()).isEqualTo(new TokenUsage(23, answerTokens, 23 + answerTokens, true));
            // Meters of earlier calls join the new registry too, each counting from zero.
            assertThat(modelCalls(meters, provider, "cancelled")).as("the call counts as cancelled").isEqualTo(1);
            assertThat(modelCalls(meters, provider, "success")).as("and not as a success").isZero();
        } finally {
            Metrics.globalRegistry.remove(meters);
            caller.shutdownNow();
        }
    }

    private static void waitForRequest() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (slow.getAllServeEvents().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(slow.getAllServeEvents()).as("the request reached the fake").isNotEmpty();
    }
}
