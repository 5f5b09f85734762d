package dev.keiko.launcher;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.keiko.api.ApiApplication;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import dev.keiko.embedded.EmbeddedServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole system for end-to-end tests: the embedded PostgreSQL and Temporal dev server, the API in
 * this JVM, a worker in a JVM of its own (they share nothing but those two servers), and the
 * reference MCP server {@code everything} over stdio, limited to the tools the dev launcher allows;
 * MCP servers on loopback may be registered, as with the dev launcher. Model calls go to a WireMock fake of
 * Azure OpenAI, or to the third-party mock {@code openai-mock-api} for tasks that ask for {@code "provider": "openai"}.
 */
final class DevSystem {

    /** Lower than the 256 KB default, so that tests move payloads over it within the API's request limit. */
    static final int OFFLOAD_THRESHOLD_BYTES = 32 * 1024;
    /** An Azure deployment the system limits to 6 calls a minute, with at most 1 s of waiting in an activity. */
    static final String RATE_LIMITED_DEPLOYMENT = "rate-limited";
    /** The Azure chat deployments the tests name, each its own so that their fakes stay apart. */
    static final List<String> DEPLOYMENTS = List.of(RATE_LIMITED_DEPLOYMENT, "completion-flow", "content-filtered",
            "over-budget", "spender", "agent-flow", "approval-flow", "failover", ParallelBudgetFlowTest.DEPLOYMENT,
            TaskSearchAttributesFlowTest.DEPLOYMENT, StreamingFlowTest.DEPLOYMENT,
            StreamingFlowTest.FAILOVER_DEPLOYMENT, AgentFlowTest.LIMITED_DEPLOYMENT);
    static final String IMAGE_DEPLOYMENT = "dalle-flow";
    static final String JWT_SECRET = "dev-system-test-secret-0123456789abcdef";
    static final Path EVERYTHING = Path.of("../mcp-servers/node_modules/@modelcontextprotocol/server-everything/dist/index.js")
            .toAbsolutePath().normalize();

    static final FirstCallHangs FIRST_CALL_HANGS = new FirstCallHangs();

    /** A fake of the Azure OpenAI REST API that the worker calls as its LLM provider. */
    static final WireMockServer AZURE_OPENAI = new WireMockServer(WireMockConfiguration.options().dynamicPort()
            .extensions(FIRST_CALL_HANGS, new StreamedAnswers()));
    /**
     * The OpenAI-compatible endpoint the worker calls for tasks naming {@code openai}: it streams its own model's
     * answers and relays the default model's to the npm mock {@link OpenAiMockServer}.
     */
    static final StreamingModelFake STREAMING_MODEL = new StreamingModelFake();

    private static DevSystem shared;
    private static OpenAiMockServer openAiMock;

    private WorkerProcess worker;
    final ConfigurableApplicationContext api;
    final WebTestClient web;

    private DevSystem(WorkerProcess worker, ConfigurableApplicationContext api) {
        this.worker = worker;
        this.api = api;
        this.web = client(api);
    }

    static synchronized DevSystem shared() {
        if (shared == null) {
            AZURE_OPENAI.start();
            openAiMock = OpenAiMockServer.start();
            OpenAiMockServer mock = openAiMock;
            STREAMING_MODEL.relayOtherModelsTo(mock.baseUrl());
            WorkerProcess worker = startWorker();
            ConfigurableApplicationContext api = ApiApplication.builder().run(arguments().toArray(String[]::new));
            shared = new DevSystem(worker, api);
            DevSystem system = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                system.worker().close();
                AZURE_OPENAI.stop();
                STREAMING_MODEL.close();
                mock.close();
            }, "dev-system-shutdown"));
        }
        return shared;
    }

    synchronized WorkerProcess worker() {
        return worker;
    }

    /** Makes {@code replacement} the system's worker, after a test killed the one it had. */
    synchronized void replaceWorker(WorkerProcess replacement) {
        worker = replacement;
    }

    /** Another worker process on the same Temporal and PostgreSQL, with settings of its own; the caller stops it. */
    static WorkerProcess startWorker(String... settings) {
        List<String> args = arguments();
        args.addAll(List.of(settings));
        return WorkerProcess.start(args);
    }

    private static synchronized List<String> arguments() {
        List<String> args = new ArrayList<>();
        EmbeddedServices.shared().properties().forEach((key, value) -> args.add("--" + key + "=" + value));
        args.addAll(List.of(
                "--server.port=0",
                "--keiko.auth.jwt-secret=" + JWT_SECRET,
                "--keiko.auth.admin-password=dev-system-admin",
                "--keiko.mcp.servers.everything.command=node",
                "--keiko.mcp.servers.everything.args[0]=" + EVERYTHING,
                "--keiko.mcp.servers.everything.args[1]=stdio",
                "--keiko.mcp.servers.everything.allowed-tools=" + String.join(",", DevMcpServers.EVERYTHING_TOOLS),
                "--keiko.mcp.allowed-networks=" + DevLauncher.DEV_ALLOWED_NETWORKS,
                "--keiko.tasks.start-repair-after=2s",
                "--keiko.tasks.start-repair-interval=1h",
                "--keiko.agents.slot-check-interval=1s",
                "--keiko.llm.provider=azure",
                "--keiko.llm.azure.endpoint=http://127.0.0.1:" + AZURE_OPENAI.port(),
                "--keiko.llm.azure.api-key=azure-test-key",
                "--keiko.llm.azure.deployment=gpt-4o",
                "--keiko.llm.azure.deployments=" + String.join(",", DEPLOYMENTS),
                "--keiko.llm.azure.image-deployments=" + IMAGE_DEPLOYMENT,
                // The in-JVM fake answers its own model and passes every other one on to the npm mock, byte by byte.
                "--keiko.llm.openai.base-url=" + STREAMING_MODEL.baseUrl(),
                "--keiko.llm.openai.api-key=" + OpenAiMockServer.API_KEY,
                "--keiko.llm.openai.model=" + OpenAiMockServer.MODEL,
                "--keiko.llm.openai.models=" + StreamingModelFake.MODEL,
                "--keiko.payloads.offload-threshold=" + OFFLOAD_THRESHOLD_BYTES + "B",
                "--keiko.llm.rate-limits." + RATE_LIMITED_DEPLOYMENT + ".requests-per-minute=6",
                "--keiko.llm.rate-limits." + RATE_LIMITED_DEPLOYMENT + ".max-wait=1s"));
        return args;
    }

    /** The progress messages of the task's event stream, from the task's start until it closes as the task ends. */
    CompletableFuture<List<String>> progressMessages(TestUser user, String taskId) {
        return web.mutate().responseTimeout(Duration.ofSeconds(60)).build()
                .get().uri("/api/v1/tasks/{id}/events", taskId).header(HttpHeaders.AUTHORIZATION, user.bearer())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .getResponseBody()
                .filter(event -> "progress".equals(event.event()))
                .map(event -> String.valueOf(event.data().get("message")))
                .collectList().toFuture();
    }

    /** A new user of that role, and a real access token for it. */
    TestUser user(Role role) {
        return newUser(api, web, role);
    }

    /** A new user of that role in the API's database, and a real access token for it from the API at {@code web}. */
    static TestUser newUser(ConfigurableApplicationContext api, WebTestClient web, Role role) {
        String username = role.value() + "-" + UUID.randomUUID();
        UUID id = api.getBean(UserStore.class).insert(username, UserPassword.HASH, role, UserProfile.EMPTY).block().id();
        Map<?, ?> token = web.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("username", username, "password", UserPassword.PASSWORD))
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return new TestUser(id, username, (String) token.get("accessToken"));
    }

    /** A client of the application's web server; a response may take 30 s on a busy machine. */
    static WebTestClient client(ConfigurableApplicationContext context) {
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + context.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    /**
     * The password of every user the tests create (each has a username of its own), bcrypt-hashed once: bcrypt is
     * slow on purpose, and signing in still checks it.
     */
    private static final class UserPassword {

        static final String PASSWORD = "password-" + UUID.randomUUID();
        static final String HASH = PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(PASSWORD);
    }

    record TestUser(UUID id, String username, String token) {

        String bearer() {
            return "Bearer " + token;
        }
    }
}
