package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * One agent task, submitted over REST, makes one trace: the request, the workflow's start and run, each
 * activity (the model call, the tool call on the reference MCP server, the read model's writes) and the
 * database queries, each under the span that caused it. A failure's text, which may quote a tool's arguments or
 * output, stays out of every span; its type is kept.
 */
class TraceFlowTest {

    @Test
    void anAgentTaskIsOneTraceFromTheRequestToEachActivityAndQuery() {
        ObservedSystem system = ObservedSystem.shared();
        TestUser user = system.user(Role.USER);
        ModelFake.agentEchoes(ObservedSystem.DEPLOYMENT);

        String id = (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("type", "agent", "parameters", Map.of("goal", "Echo hello",
                        "tools", List.of("everything/echo"), "deployment", ObservedSystem.DEPLOYMENT, "maxSteps", 3)))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(60));

        Trace trace = Trace.awaitEnded("task-" + id, ObservedSystem.SPANS);
        System.out.println("The task's trace, span id <- parent span id:\n" + trace);
        SpanData request = trace.only(span -> span.getKind() == SpanKind.SERVER
                && "/api/v1/tasks".equals(span.getAttributes().asMap().entrySet().stream()
                        .filter(e -> e.getKey().getKey().equals("uri")).map(e -> String.valueOf(e.getValue()))
                        .findFirst().orElse(null))
                && span.getName().toLowerCase().startsWith("http post"));
        assertThat(trace.spans()).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(request.getTraceId()));

        SpanData start = trace.named("StartWorkflow:TaskWorkflow");
        assertThat(trace.isBelow(start, request)).as("workflow start under the request\n%s", trace).isTrue();
        // One RunWorkflow span for each workflow task the worker ran, each under the start.
        List<SpanData> runs = trace.all("RunWorkflow:TaskWorkflow");
        assertThat(runs).isNotEmpty().allSatisfy(run -> assertThat(run.getParentSpanId()).isEqualTo(start.getSpanId()));
        assertThat(trace.databaseQueriesBelow(request)).as("the task's row inserted in the request\n%s", trace)
                .anySatisfy(query -> assertThat(query).containsIgnoringCase("INSERT INTO tasks"));

        for (String activity : List.of("MarkRunning", "Complete", "CallTool", "RecordOutcome")) {
            List<SpanData> executions = trace.all("RunActivity:" + activity);
            assertThat(executions).as(activity + "\n%s", trace).isNotEmpty();
            for (SpanData execution : executions) {
                SpanData scheduled = trace.parentOf(execution);
                assertThat(scheduled.getName()).isEqualTo("StartActivity:" + activity);
                assertThat(trace.parentOf(scheduled).getName()).isEqualTo("RunWorkflow:TaskWorkflow");
                assertThat(trace.childrenOf(execution)).as("the activity's observation\n%s", trace)
                        .singleElement().satisfies(observed -> assertThat(observed.getName())
                                .isEqualTo("activity " + activity));
            }
        }
        assertThat(trace.all("activity Complete")).hasSize(2)
                .allSatisfy(call -> assertThat(Trace.attribute(call, "keiko.step"))
                        .isEqualTo("llm: " + ObservedSystem.DEPLOYMENT));
        assertThat(Trace.attribute(trace.named("activity CallTool"), "keiko.step")).isEqualTo("tool: everything/echo");
        assertThat(trace.databaseQueriesBelow(trace.named("RunActivity:MarkRunning")))
                .as("the running mark written in its activity\n%s", trace)
                .anySatisfy(query -> assertThat(query).containsIgnoringCase("UPDATE tasks SET status = 'running'"));
        assertThat(trace.databaseQueriesBelow(trace.named("RunActivity:RecordOutcome")))
                .as("the outcome written in its activity\n%s", trace)
                .anySatisfy(query -> assertThat(query).containsIgnoringCase("UPDATE tasks SET status = "));
    }

    @Test
    void aFailuresTextStaysOutOfTheTraceWhileItsTypeIsKept() {
        ObservedSystem system = ObservedSystem.shared();
        TestUser operator = system.user(Role.OPERATOR);
        String secret = "quoted-argument-" + UUID.randomUUID();
        try (CountingMcpServer tool = CountingMcpServer.start()) {
            String id = tool.failedTask(system.web, operator, secret);

            Trace trace = Trace.awaitEnded("task-" + id, ObservedSystem.SPANS);
            assertThat(trace.spans()).allSatisfy(span -> assertThat(words(span)).doesNotContain(secret));
            for (String failing : List.of("RunActivity:CallTool", "RunWorkflow:TaskWorkflow")) {
                assertThat(trace.all(failing)).flatMap(SpanData::getEvents).as(failing + "\n%s", trace)
                        .anySatisfy(event -> {
                            assertThat(event.getName()).isEqualTo("exception");
                            assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type")))
                                    .isEqualTo(ApplicationFailure.class.getName());
                        });
            }
        }
    }

    /** Everything a span says in words: its attributes, its events' attributes and its status. */
    private static String words(SpanData span) {
        List<String> words = new ArrayList<>(List.of(span.getName(), span.getStatus().getDescription()));
        span.getAttributes().forEach((key, value) -> words.add(key.getKey() + "=" + value));
        span.getEvents().forEach(event -> {
            words.add(event.getName());
            event.getAttributes().forEach((key, value) -> words.add(key.getKey() + "=" + value));
        });
        return String.join("\n", words);
    }

    @Test
    void scrapesAndHealthProbesMakeNoSpans() {
        ObservedSystem system = ObservedSystem.shared();
        long before = System.currentTimeMillis() * 1_000_000;
        for (var web : List.of(system.web, system.workerWeb())) {
            web.get().uri("/actuator/prometheus")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + ObservedSystem.SCRAPE_TOKEN)
                    .exchange().expectStatus().isOk();
            web.get().uri("/actuator/health").exchange().expectStatus().isOk();
        }
        system.web.get().uri("/api/v1/users/me").exchange().expectStatus().isUnauthorized();

        // The refused API request is traced: the probes and scrapes around it are not.
        await().atMost(Duration.ofSeconds(5)).until(() -> spansSince(before).stream()
                .anyMatch(span -> "/api/v1/users/me".equals(Trace.attribute(span, "http.url"))));
        assertThat(spansSince(before)).noneSatisfy(span -> assertThat(String.valueOf(Trace.attribute(span, "http.url")))
                .startsWith("/actuator"));
        assertThat(spansSince(before)).noneSatisfy(span -> {
            assertThat(span.getName()).startsWith("security");
            assertThat(span.getParentSpanContext().isValid()).isFalse();
        });
    }

    private static List<SpanData> spansSince(long epochNanos) {
        return ObservedSystem.SPANS.getFinishedSpanItems().stream()
                .filter(span -> span.getStartEpochNanos() >= epochNanos).toList();
    }
}
