package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/** Tool tasks end to end: REST → Temporal workflow on the worker → MCP server → PostgreSQL → REST. */
class TaskFlowTest {

    static DevSystem system;
    static WebTestClient web;
    static TestUser user;

    @BeforeAll
    static void start() {
        system = DevSystem.shared();
        web = system.web;
        user = system.user(Role.USER);
    }

    @Test
    void toolTaskRunsThroughTheWorkerAndStoresTheToolsContent() {
        Map<?, ?> submitted = web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(echo("hello keiko"))
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().valueMatches(HttpHeaders.LOCATION, "/api/v1/tasks/[0-9a-f-]{36}")
                .expectBody(Map.class).returnResult().getResponseBody();
        String id = (String) submitted.get("id");
        assertThat(List.of(submitted.get("type"), submitted.get("priority"), submitted.get("workflowId")))
                .containsExactly("tool", "normal", "task-" + id);
        assertThat(submitted.get("createdAt")).isNotNull();
        assertThat(submitted.get("status")).isIn("pending", "running");

        Map<?, ?> done = awaitStatus(id, "completed", Duration.ofSeconds(30));
        Map<?, ?> result = (Map<?, ?>) done.get("result");
        assertThat(result.get("success")).isEqualTo(true);
        assertThat(result.get("errorMessage")).isNull();
        assertThat(((Number) result.get("executionTimeSeconds")).doubleValue()).isPositive();
        List<?> content = (List<?>) ((Map<?, ?>) result.get("data")).get("content");
        assertThat(content).singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("type", "text").containsEntry("text", "Echo: hello keiko");
        assertThat(((Map<?, ?>) result.get("metadata")).get("step")).isEqualTo("tool: everything/echo");
        assertThat(done.get("startedAt")).isNotNull();
        assertThat(done.get("finishedAt")).isNotNull();
    }

    @Test
    void theWorkflowIsFoundInTemporalByTheTaskId() {
        String id = submit(echo("find me"), null);
        awaitStatus(id, "completed", Duration.ofSeconds(30));

        var description = awaitWorkflowEnd(system, id).describe();
        assertThat(description.getWorkflowType()).isEqualTo("TaskWorkflow");
        assertThat(description.getStatus().name()).isEqualTo("WORKFLOW_EXECUTION_STATUS_COMPLETED");
    }

    @Test
    void largeParametersAndToolOutputsArePassedByReferenceNotThroughHistory() {
        // The dev system offloads payloads over 32 KB (DevSystem.OFFLOAD_THRESHOLD_BYTES); this moves 100 KB each way.
        String message = "large ".repeat(100 * 1024 / 6) + UUID.randomUUID();
        String id = submit(echo(message), null);

        Map<?, ?> done = awaitStatus(id, "completed", Duration.ofSeconds(30));
        List<?> content = (List<?>) ((Map<?, ?>) ((Map<?, ?>) done.get("result")).get("data")).get("content");
        assertThat(((Map<?, ?>) content.getFirst()).get("text")).isEqualTo("Echo: " + message);

        awaitWorkflowEnd(system, id);
        var history = system.api.getBean(WorkflowClient.class).fetchHistory("task-" + id).getHistory();
        String raw = history.toByteString().toStringUtf8();
        // The input, the tool's output, the outcome recorded and the workflow's result: each a reference.
        assertThat(raw.split("\\{\"offloadedPayload\":", -1).length - 1).isGreaterThanOrEqualTo(4);
        assertThat(raw).doesNotContain(message);
        assertThat(history.getSerializedSize()).isLessThan(DevSystem.OFFLOAD_THRESHOLD_BYTES);
    }

    @Test
    void aToolErrorFailsTheTaskWithTheToolsMessage() {
        String id = submit(Map.of("type", "tool", "parameters", Map.of("server", "everything", "tool", "get-sum",
                "arguments", Map.of("a", "not a number", "b", 2))), null);

        Map<?, ?> failed = awaitStatus(id, "failed", Duration.ofSeconds(30));
        Map<?, ?> result = (Map<?, ?>) failed.get("result");
        assertThat(result.get("success")).isEqualTo(false);
        assertThat(result.get("errorType")).isIn("TOOL_ERROR", "INVALID_ARGUMENTS");
        assertThat((String) result.get("errorMessage")).isNotBlank();
    }

    @Test
    void cancellingARunningTaskEndsItCancelledWithinTwoSeconds() {
        String id = submit(longRunning(60, 600), null);
        awaitStatus(id, "running", Duration.ofSeconds(30));

        long start = System.nanoTime();
        Map<?, ?> answer = web.post().uri("/api/v1/tasks/{id}/cancel", id)
                .header(HttpHeaders.AUTHORIZATION, user.bearer())
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> cancelled = answer.get("status").equals("cancelled") ? answer
                : awaitStatus(id, "cancelled", Duration.ofSeconds(2));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(((Map<?, ?>) cancelled.get("result")).get("errorType")).isEqualTo("CANCELLED");
        web.post().uri("/api/v1/tasks/{id}/cancel", id).header(HttpHeaders.AUTHORIZATION, user.bearer())
                .exchange().expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aTaskPastItsTimeoutFailsWithTimeout() {
        String id = submit(longRunning(30, 2), null);

        Map<?, ?> failed = awaitStatus(id, "failed", Duration.ofSeconds(30));
        assertThat(((Map<?, ?>) failed.get("result")).get("errorType")).isEqualTo("TIMEOUT");
    }

    @Test
    void fiftyConcurrentRequestsWithOneIdempotencyKeyStartOneTask() {
        String key = "key-" + UUID.randomUUID();
        List<String> ids = Flux.range(0, 50)
                .flatMap(i -> web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                        .header("Idempotency-Key", key).bodyValue(echo("once"))
                        .exchange().expectStatus().isAccepted()
                        .returnResult(Map.class).getResponseBody().map(body -> (String) body.get("id")), 50)
                .collectList().block(Duration.ofSeconds(60));

        assertThat(ids).hasSize(50).containsOnly(ids.getFirst());
        awaitStatus(ids.getFirst(), "completed", Duration.ofSeconds(30));
        Map<?, ?> page = web.get().uri("/api/v1/tasks?limit=100").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) page.get("items")).filteredOn(item -> ids.getFirst().equals(((Map<?, ?>) item).get("id")))
                .hasSize(1);
    }

    @Test
    void reusingAnIdempotencyKeyForAnotherRequestIsRefused() {
        String key = "key-" + UUID.randomUUID();
        submit(echo("first"), key);

        web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .header("Idempotency-Key", key).bodyValue(echo("second"))
                .exchange().expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void unknownToolOrServerIsRefusedBeforeAnythingStarts() {
        web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("type", "tool", "parameters", Map.of("server", "everything", "tool", "nope")))
                .exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("Tool 'nope'").contains("not allowed").contains("echo"));
        web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("type", "tool", "parameters", Map.of("server", "nowhere", "tool", "echo")))
                .exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.detail").isEqualTo("Unknown MCP server 'nowhere'");
    }

    @Test
    void operatorsListAServersToolsThroughAWorker() {
        TestUser operator = system.user(Role.OPERATOR);

        List<?> tools = web.get().uri("/api/v1/mcp/servers/everything/tools")
                .header(HttpHeaders.AUTHORIZATION, operator.bearer())
                .exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();

        List<Object> names = tools.stream().map(tool -> ((Map<?, ?>) tool).get("name")).map(Object.class::cast)
                .toList();
        assertThat(names).contains("echo", "get-sum", "trigger-long-running-operation");
        Map<?, ?> echo = (Map<?, ?>) tools.stream().filter(tool -> "echo".equals(((Map<?, ?>) tool).get("name")))
                .findFirst().orElseThrow();
        assertThat(echo.get("inputSchema").toString()).contains("message");
    }

    @Test
    void eventsStreamStatusChangesAndProgressThenClose() {
        String id = submit(longRunning(2, 60), null);

        List<ServerSentEvent<Map<String, Object>>> events = follow(id);

        assertThat(events.getFirst().event()).isEqualTo("status");
        assertThat(events.getLast().event()).isEqualTo("status");
        assertThat(events.getLast().data()).containsEntry("status", "completed");
        assertThat(events).filteredOn(event -> "status".equals(event.event()))
                .extracting(event -> event.data().get("status"))
                .containsExactly("pending", "running", "completed");
        assertThat(events).anySatisfy(event -> assertThat(event.event()).isEqualTo("progress"));
        assertThat(events).extracting(event -> Long.parseLong(event.id()))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
    }

    @Test
    void aLateSubscriberGetsTheWholeStoryAndAReconnectAfterTheEndGetsNoContent() {
        String id = submit(echo("late"), null);
        awaitStatus(id, "completed", Duration.ofSeconds(30));

        List<ServerSentEvent<Map<String, Object>>> events = follow(id);

        assertThat(events.getFirst().id()).isEqualTo("1");
        assertThat(events.getFirst().data()).containsEntry("status", "pending").doesNotContainKey("result");
        assertThat(events.getLast().event()).isEqualTo("status");
        assertThat(events.getLast().data()).containsEntry("status", "completed").containsKey("result");
        web.get().uri("/api/v1/tasks/{id}/events", id).header(HttpHeaders.AUTHORIZATION, user.bearer())
                .header("Last-Event-ID", events.getLast().id()).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isNoContent();
    }

    @Test
    void usersSeeOnlyTheirOwnTasksWhileViewersAndOperatorsSeeAll() {
        String id = submit(echo("mine"), null);
        TestUser other = system.user(Role.USER);
        TestUser viewer = system.user(Role.VIEWER);
        TestUser operator = system.user(Role.OPERATOR);

        web.get().uri("/api/v1/tasks/{id}", id).header(HttpHeaders.AUTHORIZATION, other.bearer())
                .exchange().expectStatus().isNotFound();
        web.post().uri("/api/v1/tasks/{id}/cancel", id).header(HttpHeaders.AUTHORIZATION, other.bearer())
                .exchange().expectStatus().isNotFound();
        web.get().uri("/api/v1/tasks/{id}", id).header(HttpHeaders.AUTHORIZATION, viewer.bearer())
                .exchange().expectStatus().isOk();
        web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, viewer.bearer())
                .bodyValue(echo("no")).exchange().expectStatus().isForbidden();
        web.get().uri("/api/v1/tasks/{id}", id).header(HttpHeaders.AUTHORIZATION, operator.bearer())
                .exchange().expectStatus().isOk();
    }

    @Test
    void operatorsCancelOtherUsersTasks() {
        String id = submit(longRunning(60, 600), null);
        TestUser operator = system.user(Role.OPERATOR);
        awaitStatus(id, "running", Duration.ofSeconds(30));

        web.post().uri("/api/v1/tasks/{id}/cancel", id).header(HttpHeaders.AUTHORIZATION, operator.bearer())
                .exchange().expectStatus().isAccepted();
        awaitStatus(id, "cancelled", Duration.ofSeconds(5));
    }

    private List<ServerSentEvent<Map<String, Object>>> follow(String id) {
        return web.mutate().responseTimeout(Duration.ofSeconds(60)).build()
                .get().uri("/api/v1/tasks/{id}/events", id)
                .header(HttpHeaders.AUTHORIZATION, user.bearer())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .getResponseBody()
                .filter(event -> event.event() != null)
                .collectList().block(Duration.ofSeconds(60));
    }

    static Map<String, Object> echo(String message) {
        return Map.of("type", "tool", "parameters",
                Map.of("server", "everything", "tool", "echo", "arguments", Map.of("message", message)));
    }

    static Map<String, Object> longRunning(int durationSeconds, int timeoutSeconds) {
        return Map.of("type", "tool", "timeoutSeconds", timeoutSeconds, "parameters", Map.of(
                "server", "everything", "tool", "trigger-long-running-operation",
                "arguments", Map.of("duration", durationSeconds, "steps", Math.max(2, durationSeconds))));
    }

    private String submit(Map<String, Object> body, String idempotencyKey) {
        var request = web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer());
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return (String) request.bodyValue(body).exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private Map<?, ?> awaitStatus(String id, String status, Duration timeout) {
        return awaitStatus(web, user, id, status, timeout);
    }

    /**
     * The task's workflow, once it has ended: the outcome is recorded in the read model just before the
     * workflow completes, so a task can read {@code completed} a moment before its workflow does.
     */
    static WorkflowStub awaitWorkflowEnd(DevSystem system, String id) {
        WorkflowStub workflow = system.api.getBean(WorkflowClient.class).newUntypedWorkflowStub("task-" + id);
        try {
            workflow.getResult(30, TimeUnit.SECONDS, Object.class);
        } catch (TimeoutException e) {
            throw new AssertionError("The workflow of task " + id + " did not end within 30 s", e);
        } catch (WorkflowException failedOrCancelled) {
            // Ended all the same.
        }
        return workflow;
    }

    static Map<?, ?> awaitStatus(WebTestClient web, TestUser user, String id, String status, Duration timeout) {
        AtomicReference<Map<?, ?>> last = new AtomicReference<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<?, ?> task = web.get().uri("/api/v1/tasks/{id}", id).header(HttpHeaders.AUTHORIZATION, user.bearer())
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            last.set(task);
            if (status.equals(task.get("status"))) {
                return task;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("Task " + id + " did not reach " + status + " in " + timeout + "; last: " + last);
    }
}
