package dev.keiko.activities.tool;

import static dev.keiko.activities.ActivityEnvironment.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import dev.keiko.activities.HeartbeatingWait;
import dev.keiko.activities.mcp.InJvmMcpServer;
import dev.keiko.activities.mcp.McpConnection;
import dev.keiko.activities.mcp.McpTraffic;
import dev.keiko.activities.mcp.TestTools;
import dev.keiko.domain.mcp.McpProperties;
import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpTransport;
import dev.keiko.domain.task.NewTask;
import dev.keiko.domain.task.TaskEvents;
import dev.keiko.domain.task.TaskPriority;
import dev.keiko.domain.task.TaskStore;
import dev.keiko.domain.task.event.TaskEvent.Progressed;
import dev.keiko.domain.task.event.TaskEventLog;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import dev.keiko.workflows.tool.ListToolsInput;
import dev.keiko.workflows.tool.ToolCallInput;
import dev.keiko.workflows.tool.ToolCallOutput;
import dev.keiko.workflows.tool.ToolFailureTypes;
import io.r2dbc.spi.ConnectionFactories;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/** The activities against an MCP server built with the SDK's server API, in this JVM. */
class InJvmServerToolTest extends ToolActivitiesTest {

    private static InJvmMcpServer mcp;

    @Autowired
    TaskEventLog eventLog;

    @Autowired
    TaskStore tasks;

    @Autowired
    UserStore users;

    @Autowired
    JsonMapper json;

    @Autowired
    McpProperties mcpProperties;

    @BeforeAll
    static void startServer() {
        mcp = InJvmMcpServer.start();
    }

    @AfterAll
    static void stopServer() {
        mcp.close();
    }

    @Test
    void returnsContentAndStructuredContentAsPlainMaps() {
        McpServer server = register(mcp.definition(uniqueName("jvm-echo"), McpTransport.STREAMABLE_HTTP));

        ToolCallOutput echo = call(server, "echo", Map.of("message", "hello"));
        ToolCallOutput structured = call(server, "structured", Map.of());

        assertThat(echo.content()).containsExactly(Map.of("type", "text", "text", "Echo: hello"));
        assertThat(echo.structuredContent()).isNull();
        assertThat(structured.structuredContent()).isEqualTo(Map.of("answer", 42));
    }

    @Test
    void aToolErrorFailsWithTheToolsMessage() {
        McpServer server = register(mcp.definition(uniqueName("jvm-fail"), McpTransport.STREAMABLE_HTTP));

        var failure = failure(() -> call(server, "fail", Map.of()));

        assertThat(failure.getType()).isEqualTo(ToolFailureTypes.TOOL_ERROR);
        assertThat(failure.getOriginalMessage()).isEqualTo("the tool failed on purpose");
        assertThat(failure.isNonRetryable()).isTrue();
    }

    @Test
    void rejectedArgumentsAndUnknownToolsAreNotRetried() {
        McpServer server = register(mcp.definition(uniqueName("jvm-invalid"), McpTransport.STREAMABLE_HTTP));

        var invalid = failure(() -> call(server, "echo", Map.of("message", 42)));
        var unknown = failure(() -> call(server, "no-such-tool", Map.of()));

        assertThat(invalid.getType()).isEqualTo(ToolFailureTypes.INVALID_ARGUMENTS);
        assertThat(invalid.isNonRetryable()).isTrue();
        assertThat(unknown.getType()).isEqualTo(ToolFailureTypes.UNKNOWN_TOOL);
    }

    @Test
    void aServerWithoutToolsHasNoneToCallOrList() {
        McpServer server = register(mcp.definition(uniqueName("jvm-toolless"), McpTransport.STREAMABLE_HTTP,
                "/no-tools", Map.of()));

        assertThat(failure(() -> call(server, "echo", Map.of("message", "x"))).getType())
                .isEqualTo(ToolFailureTypes.UNKNOWN_TOOL);
        assertThat(environment.activities().listTools(new ListToolsInput(server.name())).tools()).isEmpty();
    }

    @Test
    void sendsTheConfiguredHeadersWithEveryRequest() {
        McpServer server = register(mcp.definition(uniqueName("jvm-headers"), McpTransport.STREAMABLE_HTTP, "/mcp",
                Map.of("Authorization", McpTraffic.TOKEN)));

        call(server, "echo", Map.of("message", "one"));
        call(server, "echo", Map.of("message", "two"));

        List<McpTraffic.Request> requests = mcp.traffic().requests(server.name());
        assertThat(requests).extracting(McpTraffic.Request::rpcMethod)
                .contains("initialize", "notifications/initialized", "tools/call");
        assertThat(requests).extracting(McpTraffic.Request::authorization).containsOnly(McpTraffic.TOKEN);
    }

    @Test
    void refusedCredentialsAreNotRetried() {
        Map<String, String> wrongToken = Map.of("Authorization", "Bearer wrong");
        McpServer streamable = register(mcp.definition(uniqueName("jvm-auth"), McpTransport.STREAMABLE_HTTP, "/mcp",
                wrongToken));
        McpServer sse = register(mcp.definition(uniqueName("jvm-auth-sse"), McpTransport.SSE, "/sse", wrongToken));

        for (McpServer server : List.of(streamable, sse)) {
            var failure = failure(() -> call(server, "echo", Map.of("message", "x")));
            assertThat(failure.getType()).as(server.name()).isEqualTo(ToolFailureTypes.AUTHENTICATION_FAILED);
            assertThat(failure.isNonRetryable()).isTrue();
        }
    }

    @Test
    void callsToolsOverSseAndFallsBackToItWithoutADeclaredTransport() {
        McpServer sse = register(mcp.definition(uniqueName("jvm-sse"), McpTransport.SSE));
        McpServer undeclared = register(mcp.definition(uniqueName("jvm-undeclared"), null, "/sse", Map.of()));

        assertThat(text(call(sse, "echo", Map.of("message", "over sse")))).isEqualTo("Echo: over sse");
        assertThat(text(call(undeclared, "echo", Map.of("message", "fallback")))).isEqualTo("Echo: fallback");
        assertThat(mcp.traffic().requests(undeclared.name()))
                .extracting(McpTraffic.Request::httpMethod, McpTraffic.Request::path)
                .contains(tuple("POST", "/sse"), tuple("GET", "/sse"));
    }

    @Test
    void initializesOnceForManyCallsAndAgainAfterTheServerRestarted() {
        McpServer server = register(mcp.definition(uniqueName("jvm-reuse"), McpTransport.STREAMABLE_HTTP));
        call(server, "echo", Map.of("message", "one"));
        call(server, "echo", Map.of("message", "two"));
        McpConnection first = pool.connection(server).block();
        assertThat(mcp.traffic().count(server.name(), "initialize")).isEqualTo(1);

        mcp.restart();
        // The first call may find the old session gone; Temporal retries such failures.
        Throwable stale = catchThrowable(() -> call(server, "echo", Map.of("message", "three")));
        if (stale != null) {
            assertThat(stale.getCause()).isInstanceOfSatisfying(ApplicationFailure.class,
                    failure -> assertThat(failure.isNonRetryable()).isFalse());
        }

        assertThat(text(call(server, "echo", Map.of("message", "four")))).isEqualTo("Echo: four");
        assertThat(pool.connection(server).block()).isNotSameAs(first);
        assertThat(mcp.traffic().count(server.name(), "initialize")).isEqualTo(2);
    }

    @Test
    void cancellingTheActivityCancelsTheToolCallOnTheServer() throws Exception {
        McpServer server = register(mcp.definition(uniqueName("jvm-slow"), McpTransport.STREAMABLE_HTTP));
        mcp.tools().resetSlow();
        List<Long> heartbeats = new CopyOnWriteArrayList<>();
        environment.onHeartbeat(heartbeats::add);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        Future<Throwable> outcome = caller.submit(() -> catchThrowable(() -> call(server, "slow", Map.of())));
        mcp.tools().slowStarted().get(10, TimeUnit.SECONDS);
        Thread.sleep(2 * HeartbeatingWait.INTERVAL.toMillis());

        long cancelledAt = System.nanoTime();
        environment.requestCancel();
        Throwable thrown = outcome.get(10, TimeUnit.SECONDS);
        caller.shutdown();

        assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(3));
        assertThat(thrown).isInstanceOf(CanceledFailure.class);
        assertThat(heartbeats).isNotEmpty();
        assertThat(mcp.tools().slowFinished().get(5, TimeUnit.SECONDS)).isEqualTo(TestTools.CANCELLED);
        assertThat(mcp.traffic().cancelledIds()).containsAll(mcp.traffic().toolCallIds("slow"));
    }

    @Test
    void appendsProgressToTheTasksEvents() {
        McpServer server = register(mcp.definition(uniqueName("jvm-progress"), McpTransport.STREAMABLE_HTTP));
        UUID taskId = newTask();

        ToolCallOutput output = environment.activities()
                .callTool(new ToolCallInput(taskId.toString(), server.name(), "progress", Map.of()));

        assertThat(text(output)).isEqualTo("progressed");
        // Notifications that arrive within one heartbeat interval are coalesced to the latest.
        List<Progressed> published = eventLog.after(taskId, 0, TaskEventLog.MAX_PAGE)
                .ofType(Progressed.class).filter(progress -> progress.progress() != null).collectList().block();
        assertThat(published.getLast())
                .extracting(Progressed::message, Progressed::progress, Progressed::total)
                .containsExactly("step 3", 3.0, 3.0);
        assertThat(published).extracting(Progressed::progress).isSorted();
    }

    @Test
    void progressThatCannotBePublishedDoesNotFailTheCall() {
        McpServer server = register(mcp.definition(uniqueName("jvm-no-db"), McpTransport.STREAMABLE_HTTP));
        TaskEvents unreachable = new TaskEvents(new TaskEventLog(
                DatabaseClient.create(ConnectionFactories.get("r2dbc:postgresql://keiko:keiko@127.0.0.1:1/keiko"))));
        try (ToolActivityEnvironment isolated = new ToolActivityEnvironment(
                new ToolActivitiesImpl(catalog, pool, unreachable, mcpProperties))) {

            ToolCallOutput output = isolated.activities()
                    .callTool(new ToolCallInput(UUID.randomUUID().toString(), server.name(), "progress", Map.of()));

            assertThat(text(output)).isEqualTo("progressed");
        }
    }

    private UUID newTask() {
        UUID owner = users.insert(uniqueName("owner"), "{noop}x", Role.USER, UserProfile.EMPTY).block().id();
        return tasks.insert(new NewTask(owner, "tool", json.valueToTree(Map.of()), TaskPriority.NORMAL, 60, null,
                "h")).block().task().id();
    }

    private ToolCallOutput call(McpServer server, String tool, Map<String, Object> arguments) {
        return environment.activities()
                .callTool(new ToolCallInput(UUID.randomUUID().toString(), server.name(), tool, arguments));
    }

    private static String text(ToolCallOutput output) {
        return String.valueOf(output.content().getFirst().get("text"));
    }
}
