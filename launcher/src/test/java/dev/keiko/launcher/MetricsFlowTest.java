package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keiko.domain.user.Role;
import dev.keiko.launcher.DevSystem.TestUser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import dev.keiko.domain.task.TaskStatus;
import dev.keiko.domain.task.TaskStore;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Keiko's meters after real runs: tasks by type and outcome, model calls and tokens by deployment, tool calls by
 * server and tool, all by agent (an agent's id, or none); rate-limit waits; both processes' Prometheus scrapes with
 * Keiko's and Temporal's meters; and tags that stay few whatever a task names.
 */
class MetricsFlowTest {

    private static ObservedSystem system;
    private static TestUser user;
    private static TestUser operator;

    @BeforeAll
    static void start() {
        system = ObservedSystem.shared();
        user = system.user(Role.USER);
        operator = system.user(Role.OPERATOR);
    }

    @Test
    void aToolTaskCountsItsSubmissionStartCallAndCompletion() {
        // A task outside any agent counts with agent "none": every series has the same tags.
        Tags tool = Tags.of("type", "tool", "agent", "none");
        Tags echo = Tags.of("server", "everything", "tool", "echo", "agent", "none", "outcome", "success");
        double submitted = count(system.api, "keiko.tasks.submitted", tool);
        double calls = timerCount(system.worker, "keiko.tool.calls", echo);
        double completed = count(system.worker, "keiko.tasks.completed", tool);
        double durations = timerCount(system.worker, "keiko.tasks.duration", tool.and("status", "completed"));
        double delays = timerCount(system.worker, "keiko.tasks.start.delay", tool);

        String id = submit(Map.of("type", "tool", "parameters",
                Map.of("server", "everything", "tool", "echo", "arguments", Map.of("message", "hi"))));
        TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(30));

        assertThat(count(system.api, "keiko.tasks.submitted", tool)).isEqualTo(submitted + 1);
        assertThat(timerCount(system.worker, "keiko.tool.calls", echo)).isEqualTo(calls + 1);
        assertThat(timerCount(system.worker, "keiko.tasks.start.delay", tool)).isEqualTo(delays + 1);
        // The API may read the outcome a moment before the worker has counted it.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(count(system.worker, "keiko.tasks.completed", tool)).isEqualTo(completed + 1);
            assertThat(timerCount(system.worker, "keiko.tasks.duration", tool.and("status", "completed")))
                    .isEqualTo(durations + 1);
        });
    }

    @Test
    void anAgentsTaskCountsItsTaskModelAndToolMetersUnderTheAgentsId() {
        ModelFake.agentEchoes(ObservedSystem.DEPLOYMENT);
        String agent = llmAgent();
        Tags task = Tags.of("type", "agent", "agent", agent);
        Tags call = Tags.of("provider", "azure", "deployment", ObservedSystem.DEPLOYMENT, "kind", "chat",
                "agent", agent, "outcome", "success");
        Tags echo = Tags.of("server", "everything", "tool", "echo", "agent", agent, "outcome", "success");

        String id = submit(Map.of("agentId", agent, "parameters", Map.of("goal", "Echo hello")));
        TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(60));

        // A new agent: each of its series starts with this task.
        assertThat(count(system.api, "keiko.tasks.submitted", task)).isEqualTo(1);
        assertThat(timerCount(system.worker, "keiko.tasks.start.delay", task)).isEqualTo(1);
        assertThat(timerCount(system.worker, "keiko.model.calls", call)).isEqualTo(2);
        assertThat(count(system.worker, "keiko.model.tokens", Tags.of("agent", agent, "kind", "prompt")))
                .isEqualTo(100 + 150);
        assertThat(count(system.worker, "keiko.model.tokens", Tags.of("agent", agent, "kind", "completion")))
                .isEqualTo(20 + 10);
        assertThat(timerCount(system.worker, "keiko.tool.calls", echo)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(count(system.worker, "keiko.tasks.completed", task)
                    + count(system.api, "keiko.tasks.completed", task)).isEqualTo(1);
            assertThat(timerCount(system.worker, "keiko.tasks.duration", task.and("status", "completed"))
                    + timerCount(system.api, "keiko.tasks.duration", task.and("status", "completed"))).isEqualTo(1);
        });
        // What Prometheus reads: the agent's id as a label beside the others.
        assertThat(scrape(system.web)).contains("keiko_tasks_submitted_total{agent=\"" + agent + "\",type=\"agent\"}");
        assertThat(scrape(system.workerWeb()))
                .contains("keiko_tool_calls_seconds_count{agent=\"" + agent
                        + "\",outcome=\"success\",server=\"everything\",tool=\"echo\"}")
                .contains("keiko_model_calls_seconds_count{agent=\"" + agent + "\",deployment=\""
                        + ObservedSystem.DEPLOYMENT + "\",kind=\"chat\",outcome=\"success\",provider=\"azure\"}")
                .contains("keiko_model_tokens_total{agent=\"" + agent + "\",deployment=\""
                        + ObservedSystem.DEPLOYMENT + "\",kind=\"prompt\",provider=\"azure\"}");
    }

    /** A new, active llm agent on the observed deployment that may call everything/echo; its id. */
    private static String llmAgent() {
        String name = "metered-" + UUID.randomUUID().toString().substring(0, 8);
        Map<?, ?> created = system.web.post().uri("/api/v1/agents").header(HttpHeaders.AUTHORIZATION, operator.bearer())
                .bodyValue(Map.of("name", name, "type", "llm", "capabilities", List.of("metered"),
                        "deployment", ObservedSystem.DEPLOYMENT, "tools", List.of("everything/echo"), "maxSteps", 3))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        String id = (String) created.get("id");
        system.web.post().uri("/api/v1/agents/{id}/activate", id).header(HttpHeaders.AUTHORIZATION, operator.bearer())
                .exchange().expectStatus().isOk();
        return id;
    }

    @Test
    void modelCallsCountTheirTokensAndRateLimitWaitsByDeployment() {
        String deployment = ObservedSystem.LIMITED_DEPLOYMENT;
        ModelFake.completes(deployment);
        Tags call = Tags.of("provider", "azure", "deployment", deployment, "kind", "chat", "agent", "none",
                "outcome", "success");
        double calls = timerCount(system.worker, "keiko.model.calls", call);
        double prompt = count(system.worker, "keiko.model.tokens", Tags.of("deployment", deployment, "kind", "prompt"));
        double completion = count(system.worker, "keiko.model.tokens",
                Tags.of("deployment", deployment, "kind", "completion"));
        double waits = timerCount(system.worker, "keiko.model.rate.limit.waits", Tags.of("deployment", deployment));

        // One call a second: of two completions submitted together, one waits for its turn.
        List<String> ids = List.of(completion(deployment), completion(deployment));
        ids.forEach(id -> TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(30)));

        assertThat(timerCount(system.worker, "keiko.model.calls", call)).isEqualTo(calls + 2);
        assertThat(count(system.worker, "keiko.model.tokens", Tags.of("deployment", deployment, "kind", "prompt")))
                .isEqualTo(prompt + 24);
        assertThat(count(system.worker, "keiko.model.tokens", Tags.of("deployment", deployment, "kind", "completion")))
                .isEqualTo(completion + 6);
        assertThat(timerCount(system.worker, "keiko.model.rate.limit.waits", Tags.of("deployment", deployment)))
                .isGreaterThanOrEqualTo(waits + 1);
    }

    @Test
    void anApprovalCountsAsRequestedWhileItWaitsAndAsEndedOnceDecided() {
        ModelFake.agentEchoes(ObservedSystem.DEPLOYMENT);
        // The SDK reports these every 10 s: let other tests' approvals arrive before taking the baseline.
        AtomicReference<List<Double>> last = new AtomicReference<>(List.of());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(11)).until(() -> {
            List<Double> now = List.of(count(system.worker, "keiko.approvals.requested", Tags.empty()),
                    count(system.worker, "keiko.approvals.ended", Tags.empty()));
            return now.equals(last.getAndSet(now));
        });
        double requested = last.get().get(0);
        double ended = last.get().get(1);

        String id = submit(Map.of("type", "agent", "parameters", Map.of("goal", "Echo hello",
                "tools", List.of("everything/echo"), "approvalRequired", List.of("everything/echo"),
                "deployment", ObservedSystem.DEPLOYMENT, "maxSteps", 3)));
        await().atMost(Duration.ofSeconds(30)).until(() -> waitingApprovals(id) == 1);

        // Temporal's SDK reports its scope's meters every 10 s.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(count(system.worker, "keiko.approvals.requested", Tags.empty())).isEqualTo(requested + 1);
            assertThat(count(system.worker, "keiko.approvals.ended", Tags.empty())).isEqualTo(ended);
        });
        system.web.post().uri("/api/v1/tasks/{id}/approvals", id).header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("approvalId", "step1-1", "decision", "approve")).exchange().expectStatus().isOk();
        TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(count(system.worker, "keiko.approvals.ended", Tags.empty())).isEqualTo(ended + 1));
        assertThat(scrape(system.workerWeb())).containsPattern("keiko_approvals_requested_total\\{.*"
                + "workflow_type=\"TaskWorkflow\"");
    }

    @Test
    void theApprovalsWaitingGaugeFollowsTheTasksThatWaitAndDropsATerminatedOne() {
        ModelFake.agentEchoes(ObservedSystem.DEPLOYMENT);
        double before = await().atMost(Duration.ofSeconds(10)).until(MetricsFlowTest::approvalsWaiting, n -> !n.isNaN());

        String decided = submitApprovalTask();
        String terminated = submitApprovalTask();
        await().atMost(Duration.ofSeconds(30)).until(() -> waitingApprovals(decided) == 1 && waitingApprovals(terminated) == 1);
        await().atMost(Duration.ofSeconds(10)).until(MetricsFlowTest::approvalsWaiting, n -> n == before + 2);

        system.web.post().uri("/api/v1/tasks/{id}/approvals", decided).header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("approvalId", "step1-1", "decision", "approve")).exchange().expectStatus().isOk();
        TaskFlowTest.awaitStatus(system.web, user, decided, "completed", Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(MetricsFlowTest::approvalsWaiting, n -> n == before + 1);

        // Ended from outside: its row in the read model still says running, its workflow counts no more.
        system.api.getBean(WorkflowClient.class).newUntypedWorkflowStub("task-" + terminated).terminate("test");
        await().atMost(Duration.ofSeconds(10)).until(MetricsFlowTest::approvalsWaiting, n -> n == before);
        assertThat(system.api.getBean(TaskStore.class).findById(UUID.fromString(terminated)).block().status())
                .isEqualTo(TaskStatus.RUNNING);
        assertThat(scrape(system.web)).containsPattern("(?m)^keiko_approvals_waiting " + before);
    }

    private static double approvalsWaiting() {
        return system.api.getBean(MeterRegistry.class).get("keiko.approvals.waiting").gauge().value();
    }

    private static String submitApprovalTask() {
        return submit(Map.of("type", "agent", "parameters", Map.of("goal", "Echo hello",
                "tools", List.of("everything/echo"), "approvalRequired", List.of("everything/echo"),
                "deployment", ObservedSystem.DEPLOYMENT, "maxSteps", 3)));
    }

    private static int waitingApprovals(String id) {
        Map<?, ?> task = system.web.get().uri("/api/v1/tasks/{id}", id).header(HttpHeaders.AUTHORIZATION, user.bearer())
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return task.get("progress") instanceof Map<?, ?> progress && progress.get("approvals") instanceof List<?> list
                ? list.size() : 0;
    }

    @Test
    void aCancelledTaskCountsAsCancelled() {
        double cancelled = count(system.worker, "keiko.tasks.cancelled", Tags.of("type", "tool"));
        String id = submit(TaskFlowTest.longRunning(60, 600));
        TaskFlowTest.awaitStatus(system.web, user, id, "running", Duration.ofSeconds(30));

        system.web.post().uri("/api/v1/tasks/{id}/cancel", id).header(HttpHeaders.AUTHORIZATION, user.bearer())
                .exchange().expectStatus().isAccepted();
        TaskFlowTest.awaitStatus(system.web, user, id, "cancelled", Duration.ofSeconds(10));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                count(system.worker, "keiko.tasks.cancelled", Tags.of("type", "tool"))
                        + count(system.api, "keiko.tasks.cancelled", Tags.of("type", "tool")))
                .isEqualTo(cancelled + 1));
    }

    @Test
    void aToolNameNoServerOffersIsRefusedAndAddsNoTagValue() {
        String hostile = "no-such-tool-" + UUID.randomUUID();
        double submitted = count(system.api, "keiko.tasks.submitted", Tags.of("type", "tool"));

        system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(Map.of("type", "tool", "parameters",
                        Map.of("server", ObservedSystem.OPEN_SERVER, "tool", hostile, "arguments", Map.of())))
                .exchange().expectStatus().isEqualTo(422)
                .expectHeader().contentType("application/problem+json");

        assertThat(count(system.api, "keiko.tasks.submitted", Tags.of("type", "tool"))).isEqualTo(submitted);
        for (ConfigurableApplicationContext context : List.of(system.api, system.worker)) {
            assertThat(meters(context, meter -> true)).noneSatisfy(meter -> assertThat(meter.getId().getTags())
                    .anySatisfy(tag -> assertThat(tag.getValue()).contains(hostile)));
            assertThat(scrape(WebTestClient.bindToServer().baseUrl("http://localhost:"
                    + context.getEnvironment().getProperty("local.server.port")).build()))
                    .doesNotContain(hostile).doesNotContain(user.id().toString());
        }
    }

    @Test
    void bothProcessesServeKeikosAndTemporalsMetersToPrometheus() {
        String id = submit(Map.of("type", "tool", "parameters",
                Map.of("server", "everything", "tool", "echo", "arguments", Map.of("message", "scraped"))));
        TaskFlowTest.awaitStatus(system.web, user, id, "completed", Duration.ofSeconds(30));

        // Temporal's SDK reports its meters to Micrometer every few seconds.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String api = scrape(system.web);
            assertThat(api).contains("keiko_tasks_submitted_total{agent=\"none\",type=\"tool\"}").contains("temporal_");
            String worker = scrape(system.workerWeb());
            assertThat(worker).contains("keiko_tool_calls_seconds_count{agent=\"none\",outcome=\"success\","
                            + "server=\"everything\",tool=\"echo\"}")
                    .contains("keiko_tasks_completed_total{agent=\"none\",type=\"tool\"}")
                    .contains("keiko_tasks_duration_seconds_count{agent=\"none\",status=\"completed\",type=\"tool\"}")
                    .containsPattern("temporal_activity_execution_latency_seconds_count\\{.*activity_type=\"CallTool\"");
        });
    }

    /** What an operator's Prometheus reads after these runs, Keiko's lines and a few of Temporal's. */
    @AfterAll
    static void printScrapes() {
        System.out.println("API scrape:\n" + excerpt(scrape(system.web)));
        System.out.println("Worker scrape:\n" + excerpt(scrape(system.workerWeb())));
    }

    private static String excerpt(String scrape) {
        List<String> prefixes = List.of("keiko_", "temporal_request_total",
                "temporal_activity_execution_latency_seconds_count", "temporal_workflow_completed_total");
        return String.join("\n", scrape.lines().filter(line -> prefixes.stream().anyMatch(line::startsWith)).toList());
    }

    private static String scrape(WebTestClient web) {
        return web.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build()
                .get().uri("/actuator/prometheus")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ObservedSystem.SCRAPE_TOKEN)
                .exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private static String completion(String deployment) {
        return submit(Map.of("type", "completion", "parameters", Map.of("prompt", "Say done", "deployment", deployment)));
    }

    private static String submit(Map<String, Object> body) {
        return (String) system.web.post().uri("/api/v1/tasks").header(HttpHeaders.AUTHORIZATION, user.bearer())
                .bodyValue(body).exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private static double count(ConfigurableApplicationContext context, String name, Tags tags) {
        return meters(context, meter -> meter.getId().getName().equals(name) && hasAll(meter, tags)).stream()
                .mapToDouble(meter -> ((Counter) meter).count()).sum();
    }

    private static double timerCount(ConfigurableApplicationContext context, String name, Tags tags) {
        return meters(context, meter -> meter.getId().getName().equals(name) && hasAll(meter, tags)).stream()
                .mapToDouble(meter -> ((Timer) meter).count()).sum();
    }

    private static boolean hasAll(Meter meter, Tags tags) {
        List<Tag> present = meter.getId().getTags();
        return tags.stream().allMatch(present::contains);
    }

    private static List<Meter> meters(ConfigurableApplicationContext context, Predicate<Meter> which) {
        return context.getBean(MeterRegistry.class).getMeters().stream().filter(which).toList();
    }
}
