package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import dev.keiko.workflows.agent.AgentSlotsIds;
import dev.keiko.workflows.agent.AgentSlotsView;
import dev.keiko.workflows.agent.AgentSlotsWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * An agent's concurrency limit and priority order, end to end: two worker processes, one agent, and a real
 * MCP server that counts at the tool how many tasks it serves at once. Each test prints what it saw in lines
 * that start {@code capacity:}.
 */
class AgentCapacityFlowTest {

    private static final List<String> PRIORITIES = List.of("low", "normal", "high", "critical");
    private static final Duration SIMULTANEOUS = Duration.ofMillis(2500);

    static DevSystem system;
    static CountingMcpServer counter;
    static WorkerProcess secondWorker;
    static TestUser operator;
    /** Submits, reads and cancels the tasks: an operator, since priorities high and critical need tasks:prioritize. */
    static TestUser submitter;
    static String server;
    /** Every task a test submitted: {@link #endTheTestsTasks} cancels what is left, so tests never share a tool. */
    private static final List<String> submittedByThisTest = new ArrayList<>();

    @BeforeAll
    static void start() {
        system = DevSystem.shared();
        counter = CountingMcpServer.start();
        secondWorker = DevSystem.startWorker();
        operator = system.user(Role.OPERATOR);
        submitter = system.user(Role.OPERATOR);
        server = "counter-" + UUID.randomUUID().toString().substring(0, 8);
        system.web.post().uri("/api/v1/mcp/servers").header(HttpHeaders.AUTHORIZATION, operator.bearer())
                .bodyValue(Map.of("name", server, "transport", "streamable-http", "url", counter.url(),
                        "allowedTools", List.of("hold")))
                .exchange().expectStatus().isCreated();
    }

    @AfterAll
    static void stop() {
        if (secondWorker != null && secondWorker != system.worker()) {
            secondWorker.close();
        }
        counter.close();
    }

    @AfterEach
    void endTheTestsTasks() {
        for (String id : submittedByThisTest) {
            if (List.of("pending", "running", "awaiting_approval").contains(task(id).get("status"))) {
                system.web.post().uri("/api/v1/tasks/{id}/cancel", id)
                        .header(HttpHeaders.AUTHORIZATION, submitter.bearer()).exchange();
            }
        }
        submittedByThisTest.clear();
        await().atMost(Duration.ofSeconds(30)).until(() -> counter.stats().atOnce() == 0);
    }

    @Test
    void twentyTasksOfMixedPriorityRunTwoAtATimeInPriorityOrderOverTwoWorkers() {
        Agent agent = agent(2);
        counter.reset();
        // Two long tasks take both slots, so that the next eighteen all wait and are ordered, however slowly they
        // are submitted. They are cancelled 250 ms apart once the line is checked, so that the two slots do not
        // come free at the same moment.
        List<String> blockers = List.of(submit(agent, "blocker-1", 110_000, "low"), submit(agent, "blocker-2", 110_000, "low"));
        await().atMost(Duration.ofSeconds(30)).until(() -> counter.stats().atOnce() == 2);

        Map<String, String> labelsById = new LinkedHashMap<>();
        List<Submitted> waiting = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            String priority = PRIORITIES.get((i * 7 + 3) % 4);
            String label = "task-%02d-%s".formatted(i, priority);
            String id = i % 2 == 0 ? submit(agent, label, 400, priority) : submitByCapability(agent, label, 400, priority);
            labelsById.put(id, label);
            waiting.add(new Submitted(id, label, priority, i));
        }
        // Every waiting task shows its place in line: the highest priority, first submitted, is first. Each one
        // joins the line from its workflow's first activity, some time after its 202 on a loaded machine.
        List<Submitted> line = waiting.stream().sorted(inPriorityOrder()).toList();
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            for (int place = 1; place <= line.size(); place++) {
                Map<String, Object> shown = task(line.get(place - 1).id());
                assertThat(shown).containsEntry("status", "pending");
                Map<?, ?> progress = (Map<?, ?>) shown.get("progress");
                assertThat(progress.get("queuePlace")).as(line.get(place - 1).label()).isEqualTo(place);
                assertThat(progress.get("queueLength")).as(line.get(place - 1).label()).isEqualTo(line.size());
            }
        });

        cancel(blockers.get(0));
        sleep(Duration.ofMillis(250));
        cancel(blockers.get(1));
        List<String> all = new ArrayList<>(labelsById.keySet());
        all.forEach(id -> TaskFlowTest.awaitStatus(system.web, submitter, id, "completed", Duration.ofSeconds(120)));

        CountingMcpServer.Stats stats = counter.stats();
        assertThat(stats.maxAtOnce()).as("tasks served at once, counted at the tool").isEqualTo(2);
        List<String> expected = waiting.stream().sorted(inPriorityOrder()).map(Submitted::label).toList();
        // Keiko handed out the slots strictly in priority order, first submitted first within a priority...
        List<String> granted = grantOrder(agent).stream().filter(labelsById::containsKey).map(labelsById::get)
                .toList();
        assertThat(granted).containsExactlyElementsOf(expected);
        // ...and the tool saw them start in that order.
        List<CountingMcpServer.Call> starts = assertStartedInOrder(stats, expected);
        assertThat(workersThatCalledTheTool(all)).as("worker processes that ran the tool calls")
                .containsExactlyInAnyOrder(system.worker().pid(), secondWorker.pid());
        assertSlotsFree(agent);

        say("agent %s with maxConcurrentTasks %d: 20 tasks (2 low blockers, then 18 of mixed priority: %s)",
                agent.name(), 2, waiting.stream().collect(Collectors.groupingBy(Submitted::priority, TreeMap::new,
                        Collectors.counting())));
        say("worker processes %d and %d; tool calls of the 18 by worker pid (of each call's last attempt): %s",
                system.worker().pid(), secondWorker.pid(), toolCallsByWorker(all));
        say("most calls in flight at once, counted at the tool: %d (limit 2)", stats.maxAtOnce());
        say("expected order:    %s", shortLabels(expected));
        say("slot grant order:  %s (the slot workflow's history)", shortLabels(granted));
        say("tool start order:  %s (%s)", shortLabels(starts.stream().map(CountingMcpServer.Call::label).toList()),
                inversions(starts, expected));
        say("after: all 18 completed; every slot free (holders 0, waiting 0, slotsInUse 0, tasksWaiting 0)");
    }

    @Test
    void slotsComeBackAfterACancelATimeoutATerminationAndAKilledWorker() {
        // "holder" must still be at the tool when it is cancelled, after a timeout, a termination, a kill and
        // the start of a new worker process: up to 290 s of waits that pass (79 s in one loaded run). It holds
        // the tool 330 s, within its agent's and its own timeout of 360 s; cancelled, it ends at once.
        Agent agent = agent(2, 360);
        counter.reset();
        say("agent %s with maxConcurrentTasks 2, worker processes %d and %d", agent.name(), system.worker().pid(),
                secondWorker.pid());
        String holder = submit(agent, "holder", 330_000, "normal", 360);
        String timesOut = submit(agent, "times-out", 60_000, "normal", 15);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(counter.stats().atOnce())
                .as("holder: %s; times-out: %s; tool: %s", task(holder).get("status"), task(timesOut).get("status"),
                        counter.stats())
                .isEqualTo(2));
        String cancelledWhileWaiting = submit(agent, "cancelled-waiting", 60_000, "critical");
        String terminated = submit(agent, "terminated", 60_000, "high");
        String survivesACrash = submit(agent, "survives-crash", 6_000, "normal");
        String last = submit(agent, "last", 300, "low");

        say("'holder' and 'times-out' (timeoutSeconds 15) hold both slots at the tool; waiting: 'cancelled-waiting'"
                + " (critical), 'terminated' (high), 'survives-crash' (normal), 'last' (low)");

        Map<String, String> labels = Map.of(holder, "holder", timesOut, "times-out", cancelledWhileWaiting,
                "cancelled-waiting", terminated, "terminated", survivesACrash, "survives-crash", last, "last");

        cancel(cancelledWhileWaiting);
        TaskFlowTest.awaitStatus(system.web, submitter, cancelledWhileWaiting, "cancelled", Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(line(agent, labels))
                .as("the slot workflow's line").doesNotContain("cancelled-waiting"));
        say("cancel while waiting: 'cancelled-waiting' is %s and left the line, which is now %s",
                outcome(cancelledWhileWaiting), line(agent, labels));
        // The timeout frees its slot: the next in line ("terminated", high) starts.
        await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> assertThat(started("terminated"))
                .as("terminated started; times-out: %s; terminated: %s; tool: %s", task(timesOut).get("status"),
                        task(terminated).get("status"), counter.stats())
                .isTrue());
        assertThat(task(timesOut)).containsEntry("status", "failed");
        say("timeout: 'times-out' is %s; its call ended at the tool %s; its slot went to 'terminated', next in line,"
                + " which reached the tool %s after that end", outcome(timesOut), endsOf("times-out"),
                between(lastEnd("times-out"), firstStart("terminated")));

        // Terminated from outside, without a word to the slot workflow: its check frees the slot.
        long terminatedAt = System.currentTimeMillis();
        system.api.getBean(WorkflowClient.class).newUntypedWorkflowStub("task-" + terminated).terminate("test");
        await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> assertThat(started("survives-crash"))
                .as("survives-crash started; terminated: %s; tool: %s", task(terminated).get("status"), counter.stats())
                .isTrue());
        say("termination from outside: 'terminated' is %s; its call ended at the tool %s; the slot workflow's"
                + " check freed its slot and 'survives-crash' reached the tool %s after the terminate",
                outcome(terminated), endsOf("terminated"), between(terminatedAt, firstStart("survives-crash")));

        // The worker running "survives-crash" dies; the call is retried on the other, holding the same slot.
        long killed = killTheWorkerRunning(survivesACrash);
        cancel(holder);
        TaskFlowTest.awaitStatus(system.web, submitter, holder, "cancelled", Duration.ofSeconds(10));
        TaskFlowTest.awaitStatus(system.web, submitter, survivesACrash, "completed", Duration.ofSeconds(60));
        TaskFlowTest.awaitStatus(system.web, submitter, last, "completed", Duration.ofSeconds(60));

        CountingMcpServer.Stats stats = counter.stats();
        assertThat(stats.maxAtOnce()).as("tasks served at once, counted at the tool: %s", stats).isLessThanOrEqualTo(2);
        assertThat(stats.startedLabels()).doesNotContain("cancelled-waiting");
        say("killed worker: worker %d was killed (SIGKILL) during the call of 'survives-crash'; at the tool its calls"
                + " started %d times and ended %s; the last attempt (%s) ran on worker %d; the task is %s",
                killed, stats.startedLabels().stream().filter("survives-crash"::equals).count(),
                endsOf("survives-crash"), toolCallAttempts(survivesACrash), toolCallWorker(survivesACrash),
                outcome(survivesACrash));
        say("cancel while running: 'holder' is %s; its call ended at the tool %s", outcome(holder), endsOf("holder"));
        say("'last' (low) is %s; most calls in flight at once, counted at the tool: %d (limit 2);"
                + " 'cancelled-waiting' never reached the tool", outcome(last), stats.maxAtOnce());
        assertSlotsFree(agent);
        // Both slots really are free: two new tasks run at once.
        counter.reset();
        List<String> pair = List.of(submit(agent, "pair-1", 1_500, "normal"), submit(agent, "pair-2", 1_500, "normal"));
        await().atMost(Duration.ofSeconds(30)).until(() -> counter.stats().atOnce() == 2);
        pair.forEach(id -> TaskFlowTest.awaitStatus(system.web, submitter, id, "completed", Duration.ofSeconds(30)));
        say("every slot came back: holders 0, waiting 0, slotsInUse 0, tasksWaiting 0, agent active; then 'pair-1'"
                + " and 'pair-2' ran at the tool at once (%d in flight) and completed", counter.stats().maxAtOnce());
    }

    @Test
    void raisingTheLimitOrDeactivatingTheAgentTakesEffectForWaitingTasksAtOnce() {
        Agent agent = agent(1);
        counter.reset();
        String running = submit(agent, "running", 20_000, "normal");
        await().atMost(Duration.ofSeconds(30)).until(() -> counter.stats().atOnce() == 1);
        String second = submit(agent, "second", 20_000, "normal");
        String third = submit(agent, "third", 20_000, "normal");
        assertThat(task(second)).containsEntry("status", "pending");
        say("agent %s with maxConcurrentTasks 1: 'running' at the tool, 'second' and 'third' pending",
                agent.name());

        long raisedAt = System.currentTimeMillis();
        patch(agent, Map.of("maxConcurrentTasks", 3));
        await().atMost(Duration.ofSeconds(10)).until(() -> counter.stats().atOnce() == 3);
        say("maxConcurrentTasks raised to 3: 3 calls in flight at the tool %d ms after the PATCH",
                System.currentTimeMillis() - raisedAt);

        String held = submitToId(agent, "held", 300);
        post(agent, "deactivate");
        // Deactivated, the agent takes no new task at all; one submitted before waits.
        system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, submitter.bearer())
                .bodyValue(Map.of("agent", agent.name(), "parameters", hold("refused", 300)))
                .exchange().expectStatus().isEqualTo(422);
        List<String> theThreeRunning = List.of(running, second, third);
        theThreeRunning.forEach(this::cancel);
        theThreeRunning.forEach(id -> TaskFlowTest.awaitStatus(system.web, submitter, id, "cancelled",
                Duration.ofSeconds(10)));
        await().atMost(Duration.ofSeconds(10)).until(() -> counter.stats().atOnce() == 0);
        assertThat(task(held)).containsEntry("status", "pending");
        assertThat(started("held")).isFalse();
        say("deactivated: a new task for it was refused (422); the three running were cancelled ('running' %s,"
                + " 'second' %s, 'third' %s; their calls ended at the tool %s, %s, %s), and 'held', submitted before,"
                + " stayed pending (%s) without reaching the tool", outcome(running), outcome(second),
                outcome(third), endsOf("running"), endsOf("second"), endsOf("third"), placeOf("held", held));

        long activatedAt = System.currentTimeMillis();
        post(agent, "activate");
        TaskFlowTest.awaitStatus(system.web, submitter, held, "completed", Duration.ofSeconds(30));
        assertSlotsFree(agent);
        say("activated: 'held' reached the tool %s after the activation and completed; every slot free",
                between(activatedAt, firstStart("held")));
    }

    private record Agent(String id, String name, String capability) {
    }

    /** One line of what the test saw, for a person to read (and to quote). */
    private static void say(String format, Object... args) {
        System.out.printf("capacity: " + format + "%n", args);
    }

    /** Labels without their {@code task-} prefix, comma-separated. */
    private static String shortLabels(List<String> labels) {
        return labels.stream().map(label -> label.replaceFirst("^task-", "")).collect(Collectors.joining(", "));
    }

    /** How the tool's start order differs from the expected one. */
    private static String inversions(List<CountingMcpServer.Call> starts, List<String> expected) {
        long widest = 0;
        int pairs = 0;
        for (int i = 0; i < starts.size(); i++) {
            for (int j = i + 1; j < starts.size(); j++) {
                if (expected.indexOf(starts.get(j).label()) < expected.indexOf(starts.get(i).label())) {
                    pairs++;
                    widest = Math.max(widest, starts.get(j).at() - starts.get(i).at());
                }
            }
        }
        return pairs == 0 ? "as expected" : "%d pair(s) swapped, started at most %d ms apart".formatted(pairs, widest);
    }

    /** A task's status, and its error type when it has one. */
    private static String outcome(String id) {
        Map<String, Object> shown = task(id);
        Object errorType = shown.get("result") instanceof Map<?, ?> result ? result.get("errorType") : null;
        return shown.get("status") + (errorType == null ? "" : " (" + errorType + ")");
    }

    /** A waiting task's place in line as its progress shows it. */
    private static String placeOf(String label, String id) {
        Map<String, Object> shown = task(id);
        Map<?, ?> progress = shown.get("progress") instanceof Map<?, ?> map ? map : Map.of();
        return "'%s' %s, %s of %s in line".formatted(label, shown.get("status"), progress.get("queuePlace"),
                progress.get("queueLength"));
    }

    /** How each call of that label ended at the tool, in order. */
    private static List<String> endsOf(String label) {
        return counter.stats().ends().stream().filter(end -> end.label().equals(label))
                .map(CountingMcpServer.Call::how).toList();
    }

    /** When the tool saw the label's first call start; null if it never did. */
    private static Long firstStart(String label) {
        return counter.stats().starts().stream().filter(call -> call.label().equals(label))
                .map(CountingMcpServer.Call::at).min(Long::compare).orElse(null);
    }

    /** When the tool saw the label's last call end; null if none did. */
    private static Long lastEnd(String label) {
        return counter.stats().ends().stream().filter(call -> call.label().equals(label))
                .map(CountingMcpServer.Call::at).max(Long::compare).orElse(null);
    }

    private static String between(Long from, Long to) {
        return from == null || to == null ? "(not seen)" : (to - from) + " ms";
    }

    /** The tasks waiting in the slot workflow's line, by their labels. */
    private static List<String> line(Agent agent, Map<String, String> labels) {
        return system.api.getBean(WorkflowClient.class)
                .newWorkflowStub(AgentSlotsWorkflow.class, AgentSlotsIds.forAgent(agent.id())).slots().waiting()
                .stream().map(workflowId -> labels.getOrDefault(workflowId.substring("task-".length()), workflowId))
                .toList();
    }

    private record Submitted(String id, String label, String priority, int order) {
    }

    /** The task ids in the order the agent's slot workflow granted them a slot, from its history. */
    private static List<String> grantOrder(Agent agent) {
        return system.api.getBean(WorkflowClient.class).fetchHistory(AgentSlotsIds.forAgent(agent.id())).getEvents()
                .stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED
                        && event.getSignalExternalWorkflowExecutionInitiatedEventAttributes().getSignalName()
                                .equals("slotAnswered"))
                .map(event -> event.getSignalExternalWorkflowExecutionInitiatedEventAttributes().getWorkflowExecution()
                        .getWorkflowId().substring("task-".length()))
                .toList();
    }

    /**
     * The tool saw the tasks start in the expected order, except that a granted task's way to the tool (its
     * grant signal, its workflow task, marking it running, its tool call's dispatch to one of two workers, and
     * for a worker's first call the opening of its MCP session) takes from about 0.3 to 1.8 s on this machine,
     * so that two tasks granted less than that apart may reach it in either order: an inversion is allowed
     * only between starts less than {@link #SIMULTANEOUS} apart. Keiko's own order is checked exactly, from
     * the slot workflow's history; a line served without priority would start tasks many seconds out of order.
     * Answers each task's first start at the tool, in order.
     */
    private static List<CountingMcpServer.Call> assertStartedInOrder(CountingMcpServer.Stats stats,
            List<String> expected) {
        // A tool call is at least once: an attempt retried on a loaded machine (its heartbeat late) calls the
        // tool again for the same task, in the slot it already holds. The order is that of each task's first call.
        Set<String> seen = new HashSet<>();
        List<CountingMcpServer.Call> starts = stats.starts().stream()
                .filter(call -> call.label().startsWith("task-") && seen.add(call.label())).toList();
        assertThat(starts).extracting(CountingMcpServer.Call::label).containsExactlyInAnyOrderElementsOf(expected);
        for (int i = 0; i < starts.size(); i++) {
            for (int j = i + 1; j < starts.size(); j++) {
                CountingMcpServer.Call earlier = starts.get(i);
                CountingMcpServer.Call later = starts.get(j);
                if (expected.indexOf(later.label()) < expected.indexOf(earlier.label())) {
                    assertThat(later.at() - earlier.at())
                            .as("%s started before %s, out of order; tool starts: %s", earlier.label(),
                                    later.label(), starts)
                            .isLessThan(SIMULTANEOUS.toMillis());
                }
            }
        }
        return starts;
    }

    private static Comparator<Submitted> inPriorityOrder() {
        return Comparator.<Submitted>comparingInt(task -> -PRIORITIES.indexOf(task.priority()))
                .thenComparingInt(Submitted::order);
    }

    private static Agent agent(int maxConcurrentTasks) {
        return agent(maxConcurrentTasks, 120);
    }

    private static Agent agent(int maxConcurrentTasks, int timeoutSeconds) {
        String name = "holder-" + UUID.randomUUID().toString().substring(0, 8);
        String capability = "holding-" + name;
        Map<?, ?> created = system.web.post().uri("/api/v1/agents").header(HttpHeaders.AUTHORIZATION, operator.bearer())
                .bodyValue(Map.of("name", name, "type", "tool", "capabilities", List.of(capability),
                        "maxConcurrentTasks", maxConcurrentTasks, "timeoutSeconds", timeoutSeconds,
                        "tools", List.of(server + "/hold"),
                        "retryPolicy", Map.of("initialIntervalSeconds", 1, "backoffCoefficient", 1.0,
                                "maximumIntervalSeconds", 1, "maximumAttempts", 3)))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        Agent agent = new Agent((String) created.get("id"), name, capability);
        post(agent, "activate");
        return agent;
    }

    private static void post(Agent agent, String action) {
        system.web.post().uri("/api/v1/agents/{id}/{action}", agent.id(), action)
                .header(HttpHeaders.AUTHORIZATION, operator.bearer())
                .exchange().expectStatus().isOk();
    }

    private static void patch(Agent agent, Map<String, Object> change) {
        system.web.patch().uri("/api/v1/agents/{id}", agent.id()).header(HttpHeaders.AUTHORIZATION, operator.bearer())
                .bodyValue(change).exchange().expectStatus().isOk();
    }

    private static Map<String, Object> hold(String label, int millis) {
        return Map.of("server", server, "tool", "hold", "arguments", Map.of("label", label, "millis", millis));
    }

    private static String submit(Agent agent, String label, int millis, String priority) {
        return submit(agent, label, millis, priority, 120);
    }

    private static String submit(Agent agent, String label, int millis, String priority, int timeoutSeconds) {
        return submit(Map.of("agent", agent.name(), "priority", priority, "timeoutSeconds", timeoutSeconds,
                "parameters", hold(label, millis)));
    }

    private static String submitByCapability(Agent agent, String label, int millis, String priority) {
        return submit(Map.of("requiredCapabilities", List.of(agent.capability()), "priority", priority,
                "parameters", hold(label, millis)));
    }

    private static String submitToId(Agent agent, String label, int millis) {
        return submit(Map.of("agentId", agent.id(), "parameters", hold(label, millis)));
    }

    private static String submit(Map<String, Object> body) {
        String id = submitted(body);
        submittedByThisTest.add(id);
        return id;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String submitted(Map<String, Object> body) {
        Map<?, ?> task = system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, submitter.bearer())
                .bodyValue(body)
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((Map<?, ?>) task.get("agent")).get("id")).as("the agent shown on the task").isNotNull();
        return (String) task.get("id");
    }

    private void cancel(String id) {
        system.web.post().uri("/api/v1/tasks/{id}/cancel", id).header(HttpHeaders.AUTHORIZATION, submitter.bearer())
                .exchange().expectStatus().is2xxSuccessful();
    }

    private static Map<String, Object> task(String id) {
        return read("/api/v1/tasks/" + id);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(String path) {
        return system.web.get().uri(path).header(HttpHeaders.AUTHORIZATION, submitter.bearer())
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static boolean started(String label) {
        return counter.stats().startedLabels().contains(label);
    }

    /** No slot held and nobody waiting, as the slot workflow and the API see it. */
    private static void assertSlotsFree(Agent agent) {
        WorkflowClient client = system.api.getBean(WorkflowClient.class);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            AgentSlotsView slots = client.newWorkflowStub(AgentSlotsWorkflow.class, AgentSlotsIds.forAgent(agent.id()))
                    .slots();
            assertThat(slots.holders()).isEmpty();
            assertThat(slots.waiting()).isEmpty();
            Map<String, Object> shown = read("/api/v1/agents/" + agent.id());
            assertThat(shown).containsEntry("slotsInUse", 0).containsEntry("tasksWaiting", 0)
                    .containsEntry("status", "active");
        });
    }

    /** The pids of the worker processes whose activities called the tool for these tasks. */
    private static Set<Long> workersThatCalledTheTool(List<String> taskIds) {
        WorkflowClient client = system.api.getBean(WorkflowClient.class);
        return taskIds.stream()
                .flatMap(id -> client.fetchHistory("task-" + id).getEvents().stream())
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
                .map(event -> event.getActivityTaskStartedEventAttributes().getIdentity())
                .map(identity -> Long.parseLong(identity.substring(0, identity.indexOf('@'))))
                .collect(Collectors.toSet());
    }

    /** How many tool calls each worker process ran for these tasks: the worker of each call's last attempt. */
    private static Map<Long, Long> toolCallsByWorker(List<String> taskIds) {
        Map<Long, Long> byWorker = new TreeMap<>();
        taskIds.stream().flatMap(id -> toolCallStarts(id).stream())
                .forEach(started -> byWorker.merge(workerPid(started), 1L, Long::sum));
        return byWorker;
    }

    /** The worker process that ran the last attempt of the task's tool call. */
    private static long toolCallWorker(String taskId) {
        return workerPid(toolCallStarts(taskId).getLast());
    }

    private static String toolCallAttempts(String taskId) {
        return "attempt " + toolCallStarts(taskId).getLast().getActivityTaskStartedEventAttributes().getAttempt();
    }

    /** The started events of the task's tool call activities (Temporal records each call's last attempt). */
    private static List<HistoryEvent> toolCallStarts(String taskId) {
        List<HistoryEvent> events = system.api.getBean(WorkflowClient.class).fetchHistory("task-" + taskId)
                .getEvents();
        Set<Long> toolCalls = events.stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                        && event.getActivityTaskScheduledEventAttributes().getActivityType().getName()
                                .equals("CallTool"))
                .map(HistoryEvent::getEventId).collect(Collectors.toSet());
        return events.stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
                        && toolCalls.contains(event.getActivityTaskStartedEventAttributes().getScheduledEventId()))
                .toList();
    }

    private static long workerPid(HistoryEvent started) {
        String identity = started.getActivityTaskStartedEventAttributes().getIdentity();
        return Long.parseLong(identity.substring(0, identity.indexOf('@')));
    }

    /**
     * Kills the worker process running the task's tool call, as {@code kill -9} would; the other becomes the
     * system's worker, and a new one the second. Answers the killed worker's pid.
     */
    private static long killTheWorkerRunning(String taskId) {
        WorkflowClient client = system.api.getBean(WorkflowClient.class);
        Map<Long, WorkerProcess> workers = new HashMap<>();
        workers.put(system.worker().pid(), system.worker());
        workers.put(secondWorker.pid(), secondWorker);
        PendingActivityInfo call = await().atMost(Duration.ofSeconds(30)).until(() -> client
                .newUntypedWorkflowStub("task-" + taskId).describe().getRawDescription().getPendingActivitiesList()
                .stream().filter(activity -> activity.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED)
                .findFirst().orElse(null), found -> found != null);
        String identity = call.getLastWorkerIdentity();
        long pid = Long.parseLong(identity.substring(0, identity.indexOf('@')));
        WorkerProcess running = workers.get(pid);
        WorkerProcess survivor = workers.values().stream().filter(worker -> worker != running).findFirst()
                .orElseThrow();
        running.kill();
        system.replaceWorker(survivor);
        // Two workers again, for the tests that follow.
        secondWorker = DevSystem.startWorker();
        return pid;
    }
}
