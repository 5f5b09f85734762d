package dev.keiko.activities.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.keiko.activities.ActivityEnvironment.failure;
import static dev.keiko.activities.llm.LlmFakes.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.keiko.activities.ActivitiesTest;
import dev.keiko.domain.llm.LlmCallSlots;
import dev.keiko.domain.llm.LlmRateLimits;
import dev.keiko.domain.llm.LlmRateLimits.RateLimit;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.LlmFailureTypes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;

/** Calls to a rate-limited deployment take turns across workers, which share nothing but PostgreSQL. */
class DeploymentRateLimitTest extends ActivitiesTest {

    @RegisterExtension
    static final WireMockExtension azure = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    @Autowired
    LlmCallSlots slots;

    private final String deployment = "gpt-4o-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void stubAzure() {
        azure.stubFor(post(urlPathMatching("/openai/deployments/.+/chat/completions"))
                .willReturn(json(200, "azure-chat-answer.json")));
    }

    @Test
    void callsFromTwoWorkersAreSpacedByTheLimit() throws Exception {
        RateLimit sixtyPerMinute = new RateLimit(60, 1, Duration.ofSeconds(30));
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (LlmActivityEnvironment first = worker(sixtyPerMinute); LlmActivityEnvironment second = worker(sixtyPerMinute)) {
            List<Future<?>> calls = new ArrayList<>();
            for (LlmActivityEnvironment worker : List.of(first, second, first, second)) {
                calls.add(callers.submit(() -> worker.activities().complete(question())));
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }

        List<Long> arrivals = azure.getAllServeEvents().stream()
                .map(ServeEvent::getRequest).map(request -> request.getLoggedDate().getTime()).sorted().toList();
        assertThat(arrivals).hasSize(4);
        for (int i = 1; i < arrivals.size(); i++) {
            assertThat(arrivals.get(i) - arrivals.get(i - 1)).as("gap before call %d", i + 1).isGreaterThan(900);
        }
    }

    @Test
    void aTurnFurtherAwayThanTheMaximumWaitEndsTheAttemptAsRateLimited() {
        RateLimit sixPerMinute = new RateLimit(6, 1, Duration.ofSeconds(1));
        try (LlmActivityEnvironment worker = worker(sixPerMinute)) {
            worker.activities().complete(question());

            ApplicationFailure failure = failure(() -> worker.activities().complete(question()));

            assertThat(failure.getType()).isEqualTo(LlmFailureTypes.RATE_LIMITED);
            assertThat(failure.isNonRetryable()).isFalse();
            assertThat(failure.getOriginalMessage()).contains("'" + deployment + "' is limited to 6 calls a minute");
            // The next turn is 10 s away: the retry comes when it is within the 1 s the call may wait.
            assertThat(failure.getNextRetryDelay()).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(9));
        }
        azure.verify(1, postRequestedFor(urlPathMatching(".*/chat/completions")));
    }

    @Test
    void aCallWaitingForItsTurnCanBeCancelled() throws Exception {
        RateLimit sixPerMinute = new RateLimit(6, 1, Duration.ofSeconds(30));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (LlmActivityEnvironment worker = worker(sixPerMinute)) {
            worker.activities().complete(question());
            Future<Throwable> waiting = caller.submit(() -> catchThrowable(() -> worker.activities().complete(question())));
            Thread.sleep(1_000);

            worker.requestCancel();

            assertThat(waiting.get(5, TimeUnit.SECONDS)).isInstanceOf(CanceledFailure.class);
        } finally {
            caller.shutdownNow();
        }
        azure.verify(1, postRequestedFor(urlPathMatching(".*/chat/completions")));
    }

    @Test
    void otherDeploymentsAreNotLimited() {
        try (LlmActivityEnvironment worker = new LlmActivityEnvironment(new LlmActivitiesImpl(
                LlmFakes.azure(azure.baseUrl()), new DeploymentRateLimiter(slots,
                        new LlmRateLimits(Map.of("another-deployment", new RateLimit(1, 1, Duration.ofSeconds(1)))))))) {
            worker.activities().complete(question());
            worker.activities().complete(question());
        }
        azure.verify(2, postRequestedFor(urlPathMatching(".*/chat/completions")));
    }

    private LlmActivityEnvironment worker(RateLimit limit) {
        DeploymentRateLimiter limiter = new DeploymentRateLimiter(slots, new LlmRateLimits(Map.of(deployment, limit)));
        return new LlmActivityEnvironment(new LlmActivitiesImpl(LlmFakes.azure(azure.baseUrl()), limiter));
    }

    private ChatCompletionInput question() {
        ChatCompletionInput question = LlmFakes.question();
        return new ChatCompletionInput(question.taskId(), null, deployment, question.messages(), List.of(),
                question.temperature(), question.maxTokens());
    }
}
