package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * SIGTERM drains a worker: it stops taking work (tasks submitted while it drains run on the other worker), lets the
 * tool calls it has in flight finish, then exits; every task completes exactly once, counted at the tool.
 */
class WorkerDrainTest {

    private static final int TASKS = 20;
    private static final int HOLD_MILLIS = 10_000;
    private static final Duration GRACE = Duration.ofSeconds(20);

    private final DevSystem system = DevSystem.shared();

    @Test
    void aWorkerGivenSigtermFinishesItsCallsInFlightExitsAndNoTaskIsLostOrRunTwice() {
        TestUser operator = system.user(Role.OPERATOR);
        TestUser user = system.user(Role.USER);
        try (CountingMcpServer counter = CountingMcpServer.start();
                WorkerProcess draining = DevSystem.startWorker("--keiko.worker.shutdown-grace=" + GRACE.toSeconds() + "s")) {
            String server = registerCounter(operator, counter);
            Map<String, String> labels = submitUntilRunningOn(draining, user, server, TASKS, 3, HOLD_MILLIS);
            List<String> inFlight = awaitCallsInFlightOn(draining, labels, 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> counter.stats().startedLabels().containsAll(inFlight));
            long sigtermAt = System.currentTimeMillis();
            CompletableFuture<Duration> exiting = CompletableFuture.supplyAsync(
                    () -> draining.terminate(GRACE.plusSeconds(15)));
            // While it drains, it takes no more work: tasks submitted now run on the other worker.
            await().atMost(Duration.ofSeconds(10)).until(() -> draining.output().contains("Draining: polling stopped"));
            // The line is logged as the pollers are told to stop; their outstanding long polls end a moment later.
            WorkerProcess.sleep(500);
            Map<String, String> afterSigterm = new LinkedHashMap<>();
            for (int i = 0; i < 4; i++) {
                String label = server + "-after-" + i;
                afterSigterm.put(submit(user, Map.of("type", "tool", "parameters", Map.of("server", server, "tool",
                        "hold", "arguments", Map.of("label", label, "millis", 200)))), label);
            }
            for (String id : afterSigterm.keySet()) {
                TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(30));
            }
            assertThat(draining.isAlive()).as("still draining while the tasks submitted after SIGTERM ran").isTrue();
            assertThat(afterSigterm.keySet()).allSatisfy(id -> assertThat(toolCallWorker(id))
                    .isEqualTo(system.worker().pid()));
            Duration exit = exiting.join();
            long exitedAt = System.currentTimeMillis();

            // Every call the drained worker had in flight ended at the tool as completed before the process exited.
            CountingMcpServer.Stats atExit = counter.stats();
            for (String label : inFlight) {
                assertThat(atExit.ends()).filteredOn(end -> end.label().equals(label)).singleElement()
                        .satisfies(end -> {
                            assertThat(end.how()).isEqualTo("completed");
                            assertThat(end.at()).isLessThanOrEqualTo(exitedAt);
                        });
            }
            assertThat(lastEnd(atExit, inFlight)).as("its last call ended after SIGTERM").isGreaterThan(sigtermAt);
            assertThat(exit).isLessThan(GRACE.plusSeconds(10));

            for (String id : labels.keySet()) {
                TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(60));
            }
            CountingMcpServer.Stats done = counter.stats();
            Map<Long, Long> callsByWorker = labels.keySet().stream()
                    .collect(Collectors.groupingBy(this::toolCallWorker, TreeMap::new, Collectors.counting()));
            // Which worker takes a call is Temporal's choice: the drained one may have taken every call before SIGTERM.
            assertThat(callsByWorker.keySet()).as("tool calls by worker pid")
                    .isSubsetOf(draining.pid(), system.worker().pid()).contains(draining.pid());
            // Each task's call completed exactly once at the tool; the drained worker's calls ran once each. (A call
            // whose heartbeats stop reaching Temporal in time, as on a machine short of CPU, is retried by design:
            // that retry is counted below, apart from the drain.)
            List<String> allLabels = new ArrayList<>(labels.values());
            allLabels.addAll(afterSigterm.values());
            assertThat(done.ends().stream().filter(end -> end.how().equals("completed")).map(CountingMcpServer.Call::label))
                    .containsExactlyInAnyOrderElementsOf(allLabels);
            assertThat(done.startedLabels()).containsAll(allLabels);
            assertThat(done.startedLabels().stream().filter(inFlight::contains)).containsExactlyInAnyOrderElementsOf(inFlight);
            System.out.printf("""
                    drain: %d tool tasks holding %d ms each, over two workers (completed calls by worker pid: %s)
                    drain: SIGTERM to worker %d with %d calls in flight; its last call ended %d ms later; it exited after %d ms (grace %s)
                    drain: all %d tasks completed; at the tool %d calls started and %d ended, %d completed: one per task
                    %s
                    """, labels.size(), HOLD_MILLIS, callsByWorker, draining.pid(), inFlight.size(),
                    lastEnd(atExit, inFlight) - sigtermAt, exit.toMillis(), GRACE, allLabels.size(), done.starts().size(),
                    done.ends().size(), done.ends().stream().filter(end -> end.how().equals("completed")).count(),
                    drainLog(draining));
        }
    }

    @Test
    void aCallLongerThanTheGraceIsInterruptedAndCompletesOnAnotherWorker() {
        TestUser operator = system.user(Role.OPERATOR);
        TestUser user = system.user(Role.USER);
        // Two workers with a 1 s grace in place of the system's, and the test drains whichever runs a call: which
        // worker takes a call is Temporal's choice (on CI the system's worker took every one while a fresh one idled).
        WorkerProcess first = DevSystem.startWorker("--keiko.worker.shutdown-grace=1s");
        system.worker().terminate(Duration.ofSeconds(60));
        system.replaceWorker(first);
        WorkerProcess second = DevSystem.startWorker("--keiko.worker.shutdown-grace=1s");
        try (CountingMcpServer counter = CountingMcpServer.start()) {
            String server = registerCounter(operator, counter);
            Map<String, String> labels = new LinkedHashMap<>();
            for (int i = 0; i < 6; i++) {
                String label = server + "-" + i;
                labels.put(submit(user, Map.of("type", "tool", "parameters", Map.of("server", server, "tool", "hold",
                        "arguments", Map.of("label", label, "millis", 15_000)))), label);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> counter.stats().atOnce() >= 1);
            WorkerProcess draining = callsInFlightOn(second, labels).isEmpty() ? first : second;
            WorkerProcess survivor = draining == first ? second : first;
            List<String> cutShort = awaitCallsInFlightOn(draining, labels, 1);
            // Temporal marks a call started when the worker takes it; the call reaches the tool a moment later, and
            // one cut short before then was never made there (on CI its only end was the retry's "completed").
            await().atMost(Duration.ofSeconds(30)).until(() -> counter.stats().startedLabels().containsAll(cutShort));

            Duration exit = draining.terminate(Duration.ofSeconds(30));
            system.replaceWorker(survivor);

            // Past the grace the worker interrupts its calls and exits; Temporal retries them on the other worker.
            assertThat(exit).isLessThan(Duration.ofSeconds(12));
            for (String id : labels.keySet()) {
                TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(60));
            }
            CountingMcpServer.Stats done = counter.stats();
            for (String label : cutShort) {
                assertThat(done.ends()).filteredOn(end -> end.label().equals(label))
                        .extracting(CountingMcpServer.Call::how).last().isEqualTo("completed");
                assertThat(done.ends()).filteredOn(end -> end.label().equals(label))
                        .extracting(CountingMcpServer.Call::how).first().isNotEqualTo("completed");
            }
            assertThat(done.ends().stream().filter(end -> end.how().equals("completed")).map(CountingMcpServer.Call::label))
                    .containsExactlyInAnyOrderElementsOf(labels.values());
            System.out.printf("drain: past a 1 s grace, worker %d exited %d ms after SIGTERM; %d calls cut short were"
                    + " retried on worker %d and completed; ends at the tool: %s%n", draining.pid(), exit.toMillis(),
                    cutShort.size(), survivor.pid(), done.ends().stream()
                            .filter(end -> cutShort.contains(end.label())).map(CountingMcpServer.Call::how).toList());
        } finally {
            // The one of the two that is not the system's worker now is stopped.
            (system.worker() == second ? first : second).close();
        }
    }

    private String registerCounter(TestUser operator, CountingMcpServer counter) {
        String server = "drain-" + UUID.randomUUID().toString().substring(0, 8);
        system.web.post().uri("/api/v1/mcp/servers").header(HttpHeaders.AUTHORIZATION, operator.bearer())
                .bodyValue(Map.of("name", server, "transport", "streamable-http", "url", counter.url(),
                        "allowedTools", List.of("hold")))
                .exchange().expectStatus().isCreated();
        return server;
    }

    /**
     * Submits {@code tasks} tool tasks whose calls hold for {@code holdMillis}, then more, one at a time, until at least
     * {@code wanted} of their calls run on {@code worker} (at most three times as many): a freshly started worker on a
     * busy machine may poll late, after the other one has taken every task. Answers task id -> label.
     */
    private Map<String, String> submitUntilRunningOn(WorkerProcess worker, TestUser user, String server, int tasks,
            int wanted, int holdMillis) {
        Map<String, String> labels = new LinkedHashMap<>();
        List<String> inFlight = List.of();
        for (int i = 0; i < 3 * tasks && (i < tasks || inFlight.size() < wanted); i++) {
            String label = server + "-" + i;
            labels.put(submit(user, Map.of("type", "tool", "parameters", Map.of("server", server, "tool", "hold",
                    "arguments", Map.of("label", label, "millis", holdMillis)))), label);
            if (i >= tasks - 1) {
                WorkerProcess.sleep(500);
                inFlight = callsInFlightOn(worker, labels);
            }
        }
        return labels;
    }

    private String submit(TestUser user, Map<String, Object> body) {
        return (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(body)
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    /** Waits until at least {@code calls} tool calls run on that worker; the labels of those that do. */
    private List<String> awaitCallsInFlightOn(WorkerProcess worker, Map<String, String> labels, int calls) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> inFlight = callsInFlightOn(worker, labels);
        while (inFlight.size() < calls) {
            assertThat(System.nanoTime()).as("%d calls in flight on worker %d: %s", calls, worker.pid(), pending(labels))
                    .isLessThan(deadline);
            // Each look describes every task's workflow: looking more often loads the Temporal server that the
            // calls heartbeat to, and a late heartbeat retries a call on a machine short of CPU.
            WorkerProcess.sleep(500);
            inFlight = callsInFlightOn(worker, labels);
        }
        return inFlight;
    }

    /** The labels of the tasks whose tool call runs on that worker now, by the worker's identity ({@code pid@host}). */
    private List<String> callsInFlightOn(WorkerProcess worker, Map<String, String> labels) {
        WorkflowClient client = system.api.getBean(WorkflowClient.class);
        List<String> inFlight = new ArrayList<>();
        labels.forEach((id, label) -> {
            boolean onWorker = client.newUntypedWorkflowStub("task-" + id).describe().getRawDescription()
                    .getPendingActivitiesList().stream()
                    .anyMatch(activity -> activity.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
                            && activity.getActivityType().getName().equals("CallTool")
                            && activity.getLastWorkerIdentity().startsWith(worker.pid() + "@"));
            if (onWorker) {
                inFlight.add(label);
            }
        });
        return inFlight;
    }

    private List<String> pending(Map<String, String> labels) {
        WorkflowClient client = system.api.getBean(WorkflowClient.class);
        return labels.keySet().stream().flatMap(id -> client.newUntypedWorkflowStub("task-" + id).describe()
                .getRawDescription().getPendingActivitiesList().stream()
                .map(activity -> activity.getActivityType().getName() + "/" + activity.getState() + "/"
                        + activity.getLastWorkerIdentity())).toList();
    }

    /** The pid of the worker whose attempt of the task's tool call completed, from the workflow's history. */
    private long toolCallWorker(String taskId) {
        List<HistoryEvent> events = system.api.getBean(WorkflowClient.class).fetchHistory("task-" + taskId).getEvents();
        long scheduled = events.stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                        && event.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("CallTool"))
                .findFirst().orElseThrow().getEventId();
        String identity = events.stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
                        && event.getActivityTaskStartedEventAttributes().getScheduledEventId() == scheduled)
                .findFirst().orElseThrow().getActivityTaskStartedEventAttributes().getIdentity();
        return Long.parseLong(identity.substring(0, identity.indexOf('@')));
    }

    private static long lastEnd(CountingMcpServer.Stats stats, List<String> labels) {
        return stats.ends().stream().filter(end -> labels.contains(end.label()))
                .mapToLong(CountingMcpServer.Call::at).max().orElseThrow();
    }

    private static String drainLog(WorkerProcess worker) {
        return String.join("\n", worker.output().lines()
                .filter(line -> line.contains("WorkerDrain") || line.contains("GracefulShutdown")).toList());
    }
}
