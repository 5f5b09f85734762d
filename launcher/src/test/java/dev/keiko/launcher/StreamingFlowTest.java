package dev.keiko.launcher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * A model's answer reaches an event-stream client as it is written: in order and complete (from the WireMock fake
 * and from the third-party mock {@code openai-mock-api}), across a reconnect with {@code Last-Event-ID}, across a
 * worker killed mid-answer (the dead attempt's text is marked abandoned and left out), and up to a cancel, whose
 * partial text and tokens stay in the task's result.
 */
class StreamingFlowTest {

    static final String DEPLOYMENT = "streaming-flow";
    static final String FAILOVER_DEPLOYMENT = "stream-failover";
    private static final String ANSWER = "Durable streams keep every token: " + "lorem ipsum dolor sit amet ".repeat(12)
            + "and nothing is lost.";

    private final DevSystem system = DevSystem.shared();
    private final TestUser user = system.user(Role.USER);

    @Test
    void theAnswerArrivesInOrderAndCompleteAndTheResultHoldsTheSameText() {
        streamAnswer(DEPLOYMENT, Duration.ofSeconds(3));
        String id = submitCompletion(DEPLOYMENT);

        List<ServerSentEvent<Map<String, Object>>> events = events(id, null).collectList()
                .block(Duration.ofSeconds(60));

        List<ServerSentEvent<Map<String, Object>>> texts = ofKind(events, "text");
        assertThat(texts.size()).as("text arrives in several events").isGreaterThan(2);
        assertThat(joined(texts)).isEqualTo(ANSWER);
        assertThat(ids(events)).isSorted().doesNotHaveDuplicates();
        assertThat(texts).allSatisfy(text -> assertThat(text.data()).containsEntry("step", "llm: " + DEPLOYMENT));
        assertThat(events.getLast().event()).isEqualTo("status");
        assertThat(events.getLast().data()).containsEntry("status", "completed");
        Map<?, ?> task = TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(10));
        assertThat(((Map<?, ?>) ((Map<?, ?>) task.get("result")).get("data")).get("text")).isEqualTo(ANSWER);
    }

    @Test
    void theThirdPartyMocksAnswerArrivesInOrderAndCompleteWithItsUsageEstimated() {
        String id = submit(Map.of("provider", "openai",
                "messages", List.of(Map.of("role", "user", "content", "Tell me about durable streams"))));

        List<ServerSentEvent<Map<String, Object>>> events = events(id, null).collectList()
                .block(Duration.ofSeconds(60));

        List<ServerSentEvent<Map<String, Object>>> texts = ofKind(events, "text");
        assertThat(texts.size()).as("the mock's words arrive in several events: %s", outline(events))
                .isGreaterThan(1);
        assertThat(ids(texts)).isSorted().doesNotHaveDuplicates();
        int offset = 0;
        for (ServerSentEvent<Map<String, Object>> text : texts) {
            assertThat(text.data()).as("event %s", text.id()).containsEntry("offset", offset)
                    .containsEntry("attempt", 1).containsEntry("step", "llm: " + OpenAiMockServer.MODEL);
            offset += String.valueOf(text.data().get("text")).length();
        }
        assertThat(joined(texts)).isEqualTo(OpenAiMockServer.ANSWER);
        assertThat(ofKind(events, "attempt-abandoned")).isEmpty();
        assertThat(events.getLast().data()).containsEntry("status", "completed");
        Map<?, ?> task = TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(10));
        Map<?, ?> data = (Map<?, ?>) ((Map<?, ?>) task.get("result")).get("data");
        assertThat(data.get("text")).isEqualTo(OpenAiMockServer.ANSWER);
        // The mock sends no usage chunk: Keiko estimates the tokens and says so.
        Map<?, ?> usage = (Map<?, ?>) data.get("usage");
        assertThat(usage.get("estimated")).as("usage %s", usage).isEqualTo(true);
        assertThat(((Number) usage.get("completionTokens")).longValue()).isPositive();
    }

    @Test
    void aClientThatReconnectsWithLastEventIdMissesNothingAndSeesNothingTwice() {
        streamAnswer(DEPLOYMENT, Duration.ofSeconds(4));
        String id = submitCompletion(DEPLOYMENT);

        List<ServerSentEvent<Map<String, Object>>> first = new CopyOnWriteArrayList<>();
        Disposable reading = events(id, null).subscribe(first::add);
        await().atMost(Duration.ofSeconds(30)).until(() -> ofKind(first, "text").size() >= 3);
        reading.dispose();
        String lastEventId = first.getLast().id();

        List<ServerSentEvent<Map<String, Object>>> second = events(id, lastEventId).collectList()
                .block(Duration.ofSeconds(60));

        List<ServerSentEvent<Map<String, Object>>> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(ids(all)).isSorted().doesNotHaveDuplicates();
        assertThat(joined(ofKind(all, "text"))).isEqualTo(ANSWER);
        assertThat(ofKind(second, "text")).as("the rest came after the reconnect").isNotEmpty();
        assertThat(all.getLast().data()).containsEntry("status", "completed");
    }

    @Test
    void aCancelMidAnswerKeepsThePartialTextAndItsTokensInTheResult() {
        streamAnswer(DEPLOYMENT, Duration.ofSeconds(20));
        String id = submitCompletion(DEPLOYMENT);
        List<ServerSentEvent<Map<String, Object>>> seen = new CopyOnWriteArrayList<>();
        Disposable reading = events(id, null).subscribe(seen::add);
        await().atMost(Duration.ofSeconds(30)).until(() -> ofKind(seen, "text").size() >= 2);

        system.web.post().uri("/api/v1/tasks/{id}/cancel", id).header(HttpHeaders.AUTHORIZATION, user.bearer())
                .exchange().expectStatus().is2xxSuccessful();

        Map<?, ?> task = TaskFlowTest.awaitStatus(system.web, user, id, "cancelled", Duration.ofSeconds(30));
        reading.dispose();
        Map<?, ?> result = (Map<?, ?>) task.get("result");
        String partial = String.valueOf(((Map<?, ?>) result.get("data")).get("partialText"));
        assertThat(partial).isNotBlank().isNotEqualTo(ANSWER);
        assertThat(ANSWER).startsWith(partial);
        Map<?, ?> usage = (Map<?, ?>) ((Map<?, ?>) result.get("data")).get("usage");
        assertThat(((Number) usage.get("completionTokens")).longValue()).isPositive();
    }

    @Test
    void aWorkerKilledMidAnswerLeavesItsAttemptAbandonedAndTheRetrysTextComplete() {
        streamAnswer(FAILOVER_DEPLOYMENT, Duration.ofSeconds(8));
        WorkerProcess first = system.worker();
        WorkerProcess second = DevSystem.startWorker();
        String id = submitCompletion(FAILOVER_DEPLOYMENT);
        List<ServerSentEvent<Map<String, Object>>> live = new CopyOnWriteArrayList<>();
        Disposable reading = events(id, null).subscribe(live::add);
        await().atMost(Duration.ofSeconds(30)).until(() -> ofKind(live, "text").size() >= 2);

        PendingActivityInfo call = modelCall(id);
        WorkerProcess running = call.getLastWorkerIdentity().startsWith(first.pid() + "@") ? first : second;
        running.kill();
        system.replaceWorker(running == first ? second : first);

        TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(90));
        await().atMost(Duration.ofSeconds(10)).until(() -> !live.isEmpty()
                && "completed".equals(live.getLast().data().get("status")));
        reading.dispose();
        // The live client was told to drop the first attempt's text, and got the second attempt's in full.
        assertThat(ofKind(live, "attempt-abandoned")).as("attempt-abandoned among %s", outline(live)).singleElement()
                .satisfies(abandoned -> assertThat(abandoned.data()).containsEntry("attempt", 1));
        assertThat(joined(ofKind(live, "text").stream()
                .filter(text -> ((Number) text.data().get("attempt")).intValue() == 2).toList())).isEqualTo(ANSWER);
        // Read again from the start, the stream leaves the abandoned attempt out; asked to, it shows it marked.
        List<ServerSentEvent<Map<String, Object>>> replay = events(id, null).collectList().block(Duration.ofSeconds(30));
        assertThat(joined(ofKind(replay, "text"))).isEqualTo(ANSWER);
        List<ServerSentEvent<Map<String, Object>>> withAbandoned = events(id, "?abandoned=include", null)
                .collectList().block(Duration.ofSeconds(30));
        assertThat(ofKind(withAbandoned, "text")).filteredOn(text -> Boolean.TRUE.equals(text.data().get("abandoned")))
                .isNotEmpty().allSatisfy(text -> assertThat(text.data()).containsEntry("attempt", 1));
    }

    private PendingActivityInfo modelCall(String id) {
        WorkflowClient client = system.api.getBean(WorkflowClient.class);
        return client.newUntypedWorkflowStub("task-" + id).describe().getRawDescription().getPendingActivitiesList()
                .stream().filter(activity -> activity.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED)
                .findFirst().orElseThrow();
    }

    /** The fake model answers {@link #ANSWER}, streamed over {@code over}. */
    private static void streamAnswer(String deployment, Duration over) {
        DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo("/openai/deployments/" + deployment + "/chat/completions"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withChunkedDribbleDelay(40, (int) over.toMillis())
                        .withBody("""
                                {"id": "s1", "object": "chat.completion", "created": 1764150000, "model": "gpt-4o",
                                 "choices": [{"index": 0, "finish_reason": "stop",
                                              "message": {"role": "assistant", "content": "%s"}}],
                                 "usage": {"prompt_tokens": 30, "completion_tokens": 90, "total_tokens": 120}}
                                """.formatted(ANSWER))));
    }

    private String submitCompletion(String deployment) {
        return submit(Map.of("deployment", deployment,
                "messages", List.of(Map.of("role", "user", "content", "Tell me about durable streams"))));
    }

    private String submit(Map<String, Object> completion) {
        return (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("type", "completion", "parameters", completion))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    /** The task's event stream (from the start, or after {@code lastEventId}) until it closes. */
    private Flux<ServerSentEvent<Map<String, Object>>> events(String task, String lastEventId) {
        return events(task, "", lastEventId);
    }

    private Flux<ServerSentEvent<Map<String, Object>>> events(String task, String query, String lastEventId) {
        return system.web.mutate().responseTimeout(Duration.ofSeconds(90)).build()
                .get().uri("/api/v1/tasks/" + task + "/events" + query)
                .header(HttpHeaders.AUTHORIZATION, user.bearer())
                .headers(headers -> {
                    if (lastEventId != null) {
                        headers.set("Last-Event-ID", lastEventId);
                    }
                })
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .getResponseBody()
                .filter(event -> event.event() != null);
    }

    private static List<ServerSentEvent<Map<String, Object>>> ofKind(List<ServerSentEvent<Map<String, Object>>> events,
            String kind) {
        return events.stream().filter(event -> kind.equals(event.event())).toList();
    }

    private static String joined(List<ServerSentEvent<Map<String, Object>>> texts) {
        return texts.stream().map(text -> String.valueOf(text.data().get("text"))).collect(Collectors.joining());
    }

    /** Each event's id, kind and attempt, for failure messages. */
    private static List<String> outline(List<ServerSentEvent<Map<String, Object>>> events) {
        return events.stream().map(event -> event.id() + ":" + event.event()
                + (event.data() != null && event.data().containsKey("attempt") ? "@" + event.data().get("attempt") : ""))
                .toList();
    }

    private static List<Long> ids(List<ServerSentEvent<Map<String, Object>>> events) {
        return events.stream().filter(event -> event.id() != null).map(event -> Long.parseLong(event.id())).toList();
    }
}
