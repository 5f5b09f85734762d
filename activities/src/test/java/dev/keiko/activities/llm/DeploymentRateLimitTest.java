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
import dev.keiko.activities.budget.ModelCallCharges;
import dev.keiko.domain.llm.LlmCallSlots;
import dev.keiko.domain.llm.LlmRateLimits;
import dev.keiko.domain.llm.LlmRateLimits.RateLimit;
import dev.keiko.domain.task.TaskEvents;
import dev.keiko.domain.task.event.TaskEventLog;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.llm.LlmFailureTypes;
import dev.keiko.workflows.task.StepLabels;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.ObjectProvider;
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
        RateLimit sixtyPerMinute = new RateLimit(60, 1, Duration.ofSeconds(30), Duration.ofMinutes(5));
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (LlmActivityEnvironment first = worker(sixtyPerMinute); LlmActivityEnvironment second = worker(sixtyPerMinute)) {
            // Each worker's HTTP client is built on its first call: build them before timing anything.
            first.activities().complete(question("unlimited"));
            second.activities().complete(question("unlimited"));
            List<Future<?>> calls = new ArrayList<>();
            for (LlmActivityEnvironment worker : List.of(first, second, first, second)) {
                calls.add(callers.submit(() -> worker.activities().complete(question(deployment))));
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }

        List<Long> arrivals = azure.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(request -> request.getUrl().contains(deployment))
                .map(request -> request.getLoggedDate().getTime()).sorted().toList();
        assertThat(arrivals).hasSize(4);
        for (int i = 1; i < arrivals.size(); i++) {
            assertThat(arrivals.get(i) - arrivals.get(i - 1)).as("gap before call %d", i + 1).isGreaterThan(800);
        }
    }

    @Test
    void aTurnFurtherAwayThanTheMaximumWaitIsKeptForTheRetry() {
        RateLimit sixPerMinute = new RateLimit(6, 1, Duration.ofSeconds(1), Duration.ofMinutes(5));
        List<Map<?, ?>> kept = new CopyOnWriteArrayList<>();
        try (LlmActivityEnvironment worker = new LlmActivityEnvironment(limited(sixPerMinute))) {
            worker.activities().complete(question(deployment));
            worker.onHeartbeat(Map.class, kept::add);

            ApplicationFailure failure = failure(() -> worker.activities().complete(question(deployment)));

            assertThat(failure.getType()).isEqualTo(LlmFailureTypes.RATE_LIMITED);
            assertThat(failure.isNonRetryable()).isFalse();
            assertThat(failure.getOriginalMessage()).contains("'" + deployment + "' is limited to 6 calls a minute");
            // The turn is up to 10 s away; the retry comes a second before it.
            assertThat(failure.getNextRetryDelay()).isBetween(Duration.ofSeconds(7), Duration.ofSeconds(9));
            assertThat(kept.getLast().get(DeploymentRateLimiter.KEPT_TURN)).isInstanceOf(Number.class);
        }
        try (LlmActivityEnvironment another = new LlmActivityEnvironment(limited(sixPerMinute))) {
            // The refused call kept its turn: the next caller's is one interval later still.
            ApplicationFailure failure = failure(() -> another.activities().complete(question(deployment)));
            assertThat(failure.getNextRetryDelay()).isBetween(Duration.ofSeconds(17), Duration.ofSeconds(19));
        }
        azure.verify(1, postRequestedFor(urlPathMatching(".*" + deployment + ".*")));
    }

    @Test
    void aQueueLongerThanMaxQueueTakesNothingAndIsRetriedWhenATurnWouldFit() {
        RateLimit shortQueue = new RateLimit(6, 1, Duration.ofSeconds(1), Duration.ofSeconds(15));
        try (LlmActivityEnvironment worker = new LlmActivityEnvironment(limited(shortQueue))) {
            worker.activities().complete(question(deployment));
            failure(() -> worker.activities().complete(question(deployment))); // keeps the turn 10 s away

            ApplicationFailure beyond = failure(() -> worker.activities().complete(question(deployment)));
            ApplicationFailure again = failure(() -> worker.activities().complete(question(deployment)));

            // The next turn is 20 s away, 5 s beyond the queue; neither attempt took it.
            assertThat(beyond.getNextRetryDelay()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
            assertThat(again.getNextRetryDelay()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
        }
    }

    @Test
    void aRetryCallsAtTheTurnItsRefusedAttemptKept() {
        RateLimit sixPerMinute = new RateLimit(6, 1, Duration.ofSeconds(1), Duration.ofMinutes(5));
        try (LlmActivityEnvironment worker = new LlmActivityEnvironment(limited(sixPerMinute))) {
            long start = System.currentTimeMillis();
            worker.setPreviousAttemptsHeartbeat(Map.of(DeploymentRateLimiter.KEPT_TURN,
                    micros(databaseNow().plusMillis(1_500))));

            worker.activities().complete(question(deployment));

            long arrived = azure.getAllServeEvents().getFirst().getRequest().getLoggedDate().getTime();
            assertThat(arrived - start).isGreaterThanOrEqualTo(1_300);
        }
        // It took no new turn: the deployment's first turn is still free.
        assertThat(slots.take(deployment, Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO).block().startsIn())
                .isZero();
    }

    @Test
    void aKeptTurnStillFarAwayIsKeptForTheNextRetry() {
        RateLimit sixPerMinute = new RateLimit(6, 1, Duration.ofSeconds(1), Duration.ofMinutes(5));
        List<Map<?, ?>> kept = new CopyOnWriteArrayList<>();
        try (LlmActivityEnvironment worker = new LlmActivityEnvironment(limited(sixPerMinute))) {
            long turn = micros(databaseNow().plusSeconds(30));
            worker.setPreviousAttemptsHeartbeat(Map.of(DeploymentRateLimiter.KEPT_TURN, turn));
            worker.onHeartbeat(Map.class, kept::add);

            ApplicationFailure failure = failure(() -> worker.activities().complete(question(deployment)));

            assertThat(failure.getNextRetryDelay()).isBetween(Duration.ofSeconds(27), Duration.ofSeconds(29));
            assertThat(((Number) kept.getLast().get(DeploymentRateLimiter.KEPT_TURN)).longValue()).isEqualTo(turn);
        }
        azure.verify(0, postRequestedFor(urlPathMatching(".*" + deployment + ".*")));
        // No new turn was taken.
        assertThat(slots.take(deployment, Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO).block().startsIn())
                .isZero();
    }

    @Test
    void aKeptTurnLongPastIsReplacedByANewOne() {
        RateLimit sixPerMinute = new RateLimit(6, 1, Duration.ofSeconds(1), Duration.ofMinutes(5));
        try (LlmActivityEnvironment worker = new LlmActivityEnvironment(limited(sixPerMinute))) {
            worker.setPreviousAttemptsHeartbeat(Map.of(DeploymentRateLimiter.KEPT_TURN,
                    micros(databaseNow().minusSeconds(60))));

            worker.activities().complete(question(deployment));
        }
        // The call took the deployment's first turn: the next is an interval away.
        assertThat(slots.take(deployment, Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(1)).block()
                .startsIn()).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
    }

    @Test
    void aCallWaitingForItsTurnCanBeCancelled() throws Exception {
        RateLimit sixPerMinute = new RateLimit(6, 1, Duration.ofSeconds(30), Duration.ofMinutes(5));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (LlmActivityEnvironment worker = worker(sixPerMinute)) {
            worker.activities().complete(question(deployment));
            Future<Throwable> waiting = caller.submit(
                    () -> catchThrowable(() -> worker.activities().complete(question(deployment))));
            Thread.sleep(1_000);

            worker.requestCancel();

            assertThat(waiting.get(5, TimeUnit.SECONDS)).isInstanceOf(CanceledFailure.class);
        } finally {
            caller.shutdownNow();
        }
        azure.verify(1, postRequestedFor(urlPathMatching(".*" + deployment + ".*")));
    }

    /** A wait for a turn is announced under the call's own step label: {@code image: ...} for an image. */
    @Test
    void aWaitIsAnnouncedUnderTheCallsStepLabel() {
        azure.stubFor(post(urlPathMatching("/openai/deployments/.+/images/generations"))
                .willReturn(json(200, "azure-image.json")));
        RateLimit sixtyPerMinute = new RateLimit(60, 1, Duration.ofSeconds(30), Duration.ofMinutes(5));
        List<String> announced = new CopyOnWriteArrayList<>();
        TaskEvents events = new TaskEvents(null) {
            @Override
            public boolean announce(String taskId, String message) {
                announced.add(message);
                return true;
            }
        };
        DeploymentRateLimiter limiter = new DeploymentRateLimiter(slots, new LlmRateLimits(Map.of(deployment,
                sixtyPerMinute)));
        String taskId = UUID.randomUUID().toString();
        // The context's first database call opens its connections: made here, outside the limiter's 3 s bound.
        databaseNow();
        ImageGenerationInput image = new ImageGenerationInput(taskId, null, deployment, "A lighthouse", "1024x1024");
        ChatCompletionInput question = question(deployment);
        ChatCompletionInput chat = new ChatCompletionInput(taskId, null, deployment, question.messages(), List.of(),
                question.temperature(), question.maxTokens());

        try (LlmActivityEnvironment worker = new LlmActivityEnvironment(new LlmActivitiesImpl(
                LlmFakes.azure(azure.baseUrl()), limiter, ModelCallCharges.NONE, providing(events),
                providing((TaskEventLog) null), ModelCallMetrics.NONE))) {
            worker.activities().generateImage(image); // takes the first turn
            announced.clear();
            worker.activities().generateImage(image); // waits about a second for the next
            assertThat(announced).as("announced by the second image").singleElement().asString()
                    .startsWith(StepLabels.image(deployment) + " waited ")
                    .endsWith(" ms for its turn (keiko.llm.rate-limits)");
            announced.clear();
            worker.activities().complete(chat); // waits about a second too, then announces its answer
            assertThat(announced).as("announced by the chat call").first().asString()
                    .startsWith(StepLabels.completion(deployment) + " waited ");
        }
    }

    private static <T> ObjectProvider<T> providing(T bean) {
        return new ObjectProvider<>() {
            @Override
            public T getObject() {
                return bean;
            }

            @Override
            public T getIfAvailable() {
                return bean;
            }
        };
    }

    @Test
    void otherDeploymentsAreNotLimited() {
        try (LlmActivityEnvironment worker = worker(new RateLimit(1, 1, Duration.ZERO, Duration.ZERO))) {
            worker.activities().complete(question("unlimited"));
            worker.activities().complete(question("unlimited"));
        }
        azure.verify(2, postRequestedFor(urlPathMatching(".*/unlimited/.*")));
    }

    /** The database's now, read from a turn of a deployment nobody else uses. */
    private Instant databaseNow() {
        return slots.take("clock-" + UUID.randomUUID(), Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO).block()
                .startsAt();
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private LlmActivityEnvironment worker(RateLimit limit) {
        return new LlmActivityEnvironment(limited(limit));
    }

    private LlmActivitiesImpl limited(RateLimit limit) {
        DeploymentRateLimiter limiter = new DeploymentRateLimiter(slots, new LlmRateLimits(Map.of(deployment, limit)));
        return new LlmActivitiesImpl(LlmFakes.azure(azure.baseUrl()), limiter);
    }

    private static ChatCompletionInput question(String deployment) {
        ChatCompletionInput question = LlmFakes.question();
        return new ChatCompletionInput(question.taskId(), null, deployment, question.messages(), List.of(),
                question.temperature(), question.maxTokens());
    }
}
