package dev.keiko.launcher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.keiko.domain.budget.TokenUsageStore;
import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import io.temporal.payload.context.WorkflowSerializationContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * A worker dies in the middle of a call: Temporal notices its heartbeats stop, the call is retried on
 * another worker, and the task completes once, with each step recorded once.
 */
class WorkerFailoverTest {

    private final DevSystem system = DevSystem.shared();
    private final TestUser user = system.user(Role.USER);

    @Test
    void aModelCallOnAWorkerThatDiesIsRetriedOnAnotherAndTheAgentCompletesOnce() {
        String deployment = "failover";
        String path = "/openai/deployments/" + deployment + "/chat/completions";
        // The first attempt of the first call hangs, long enough for its worker to die under it.
        DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo(path)).atPriority(5)
                .willReturn(json(0, toolCallAnswer()).withTransformers(FirstCallHangs.NAME)));
        DevSystem.AZURE_OPENAI.stubFor(post(urlPathEqualTo(path)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(json(0, """
                        {"id": "f2", "object": "chat.completion", "created": 1764150001, "model": "gpt-4o",
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": "Survived."}}],
                         "usage": {"prompt_tokens": 50, "completion_tokens": 5, "total_tokens": 55}}
                        """)));

        Failover failover = killTheWorkerRunning("llm: " + deployment + " step 1", () -> submit(Map.of("type", "agent",
                "parameters", Map.of("goal", "Echo after a crash", "tools", List.of("everything/echo"),
                        "deployment", deployment, "maxSteps", 3))),
                () -> DevSystem.FIRST_CALL_HANGS.requests(path) == 1);
        String id = failover.taskId();

        Map<?, ?> task = TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(90));
        Map<?, ?> result = (Map<?, ?>) task.get("result");
        assertThat(((Map<?, ?>) result.get("data")).get("answer")).isEqualTo("Survived.");
        assertThat((List<?>) ((Map<?, ?>) result.get("data")).get("steps"))
                .extracting(step -> (Object) ((Map<?, ?>) step).get("name"))
                .containsExactly("llm: " + deployment + " step 1", "tool: everything/echo", "llm: " + deployment + " step 2");
        assertThat(((Map<?, ?>) result.get("metadata")).get("tokens"))
                .isEqualTo(Map.of("prompt", 150, "completion", 25, "total", 175));
        // Two requests for the first call (the dead worker's and the retry), one for the second.
        assertThat(DevSystem.FIRST_CALL_HANGS.requests(path)).isEqualTo(2);
        DevSystem.AZURE_OPENAI.verify(1, postRequestedFor(urlPathEqualTo(path))
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]")));
        // Each call's tokens were counted once.
        assertThat(system.api.getBean(TokenUsageStore.class).spentByTask(UUID.fromString(id)).block()).isEqualTo(175);
        assertCompletedOnceBy(id, failover.survivor(), "llm: " + deployment + " step 1");
    }

    @Test
    void aToolCallOnAWorkerThatDiesIsRetriedOnAnotherAndTheTaskCompletesOnce() {
        String summary = "tool: everything/trigger-long-running-operation";
        Failover failover = killTheWorkerRunning(summary, () -> submit(TaskFlowTest.longRunning(8, 120)), () -> true);

        Map<?, ?> task = TaskFlowTest.awaitStatus(system.web, user, failover.taskId(), "completed",
                Duration.ofSeconds(90));
        assertThat(((Map<?, ?>) task.get("result")).get("success")).isEqualTo(true);
        assertCompletedOnceBy(failover.taskId(), failover.survivor(), summary);
    }

    /** The task, and the worker that outlived the one killed under its call. */
    private record Failover(String taskId, WorkerProcess survivor) {
    }

    /**
     * Starts a second worker, submits the task, waits until its activity with that summary runs on one
     * of the two workers and is {@code inFlight}, kills that worker as {@code kill -9} would, and makes
     * the other the system's worker.
     */
    private Failover killTheWorkerRunning(String summary, Supplier<String> submission, BooleanSupplier inFlight) {
        WorkerProcess first = system.worker();
        WorkerProcess second = DevSystem.startWorker();
        String taskId = submission.get();
        String identity = awaitStartedActivity(taskId, summary).getLastWorkerIdentity();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!inFlight.getAsBoolean() && System.nanoTime() < deadline) {
            WorkerProcess.sleep(50);
        }
        assertThat(inFlight.getAsBoolean()).as("the call is in flight").isTrue();
        WorkerProcess running = identity.startsWith(first.pid() + "@") ? first : second;
        WorkerProcess survivor = running == first ? second : first;
        assertThat(identity).startsWith(running.pid() + "@");
        running.kill();
        system.replaceWorker(survivor);
        return new Failover(taskId, survivor);
    }

    private PendingActivityInfo awaitStartedActivity(String taskId, String summary) {
        WorkflowClient client = system.api.getBean(WorkflowClient.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<PendingActivityInfo> pending = client.newUntypedWorkflowStub("task-" + taskId).describe()
                    .getRawDescription().getPendingActivitiesList();
            for (PendingActivityInfo activity : pending) {
                if (activity.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
                        && activity.getAttempt() == 1 && startedWith(taskId, summary)) {
                    return activity;
                }
            }
            WorkerProcess.sleep(100);
        }
        throw new AssertionError("No activity '" + summary + "' started for task " + taskId);
    }

    private boolean startedWith(String taskId, String summary) {
        return scheduled(taskId, history(taskId), summary) != null;
    }

    /** The activity with that summary completed once, on the survivor, and the outcome was recorded once. */
    private void assertCompletedOnceBy(String taskId, WorkerProcess survivor, String summary) {
        TaskFlowTest.awaitWorkflowEnd(system, taskId);
        List<HistoryEvent> events = history(taskId);
        HistoryEvent scheduled = scheduled(taskId, events, summary);
        List<HistoryEvent> completions = events.stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
                        && event.getActivityTaskCompletedEventAttributes().getScheduledEventId() == scheduled.getEventId())
                .toList();
        assertThat(completions).hasSize(1);
        HistoryEvent started = events.stream()
                .filter(event -> event.getEventId() == completions.getFirst().getActivityTaskCompletedEventAttributes()
                        .getStartedEventId())
                .findFirst().orElseThrow();
        assertThat(started.getActivityTaskStartedEventAttributes().getIdentity()).startsWith(survivor.pid() + "@");
        assertThat(started.getActivityTaskStartedEventAttributes().getAttempt()).isGreaterThan(1);
        // The workflow recorded the outcome once, as one local activity (a retried or replayed write of it is refused
        // by the forward-only update, which AgentHealthTest covers).
        assertThat(events).filteredOn(event -> event.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
                && event.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")
                && event.getMarkerRecordedEventAttributes().getDetailsMap().get("type").getPayloads(0).getData()
                        .toStringUtf8().equals("\"RecordOutcome\"")).hasSize(1);
    }

    private List<HistoryEvent> history(String taskId) {
        return system.api.getBean(WorkflowClient.class).fetchHistory("task-" + taskId).getEvents();
    }

    private HistoryEvent scheduled(String taskId, List<HistoryEvent> events, String summary) {
        WorkflowClient client = system.api.getBean(WorkflowClient.class);
        DataConverter decrypting = client.getOptions().getDataConverter()
                .withContext(new WorkflowSerializationContext(client.getOptions().getNamespace(), "task-" + taskId));
        return events.stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                        && event.getUserMetadata().hasSummary()
                        && decrypting.fromPayload(event.getUserMetadata().getSummary(), String.class, String.class)
                                .contains(summary))
                .findFirst().orElse(null);
    }

    private String submit(Map<String, Object> body) {
        return (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(body)
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private static String toolCallAnswer() {
        return """
                {"id": "f1", "object": "chat.completion", "created": 1764150000, "model": "gpt-4o",
                 "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant",
                   "content": null, "tool_calls": [{"id": "call_echo", "type": "function",
                     "function": {"name": "everything__echo", "arguments": "{\\"message\\": \\"still here\\"}"}}]}}],
                 "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}
                """;
    }

    private static ResponseDefinitionBuilder json(int delayMillis, String body) {
        return aResponse().withHeader("Content-Type", "application/json").withFixedDelay(delayMillis).withBody(body);
    }
}
