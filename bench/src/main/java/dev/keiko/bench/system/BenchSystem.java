package dev.keiko.bench.system;

import dev.keiko.bench.fakes.ModelFake;
import dev.keiko.bench.fakes.ToolFake;
import dev.keiko.embedded.EmbeddedPostgresServer;
import dev.keiko.embedded.SearchAttributeRegistration;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole system, each part in its own process as in production: PostgreSQL (embedded, its server a child process),
 * Temporal's test server in a JVM of its own, the API from its executable jar, any number of workers from theirs, and
 * the fakes of a model ({@link ModelFake}, in this JVM) and of a tool ({@link ToolFake}, a Node MCP server registered
 * as {@value #TOOL_SERVER}). Closing stops them all.
 */
public final class BenchSystem implements AutoCloseable {

    /** The MCP server name the tool fake is registered under; its one allowed tool is {@link ToolFake#HOLD}. */
    public static final String TOOL_SERVER = "bench";
    public static final String ADMIN = "admin";
    /** The key of {@link #cpuMillis()} for every process on the machine, the bench's and others'. */
    public static final String MACHINE = "(machine, all processes)";
    /** What the API logs once for each tool-list lookup that failed. */
    private static final String FAILED_LOOKUP = "No worker listed the tools of MCP server";
    static final String PG_PASSWORD = EmbeddedPostgresServer.PASSWORD;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final List<String> JVM_FLAGS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED");

    private final BenchOptions options;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<BenchProcess> workers = new CopyOnWriteArrayList<>();
    private final String payloadKeys = "bench:" + randomBase64(32);
    private final String jwtSecret = randomBase64(48);
    private final String adminPassword = "bench-" + UUID.randomUUID();
    private final HttpClient probes = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private ModelFake model;
    private ToolFake tool;
    private EmbeddedPostgresServer postgres;
    private BenchProcess temporal;
    private String temporalTarget;
    private BenchProcess apiProcess;
    private Duration apiReadyAfter;
    private Api api;
    private String adminToken;
    private TaskWatcher watcher;
    private WorkflowServiceStubs stubs;
    private WorkflowClient workflowClient;

    /** Systems not closed yet: a JVM stopped by a signal (Ctrl-C) closes them, so that no process outlives it. */
    private static final java.util.Set<BenchSystem> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(BenchSystem::close), "bench-shutdown"));
    }

    private BenchSystem(BenchOptions options) {
        this.options = options;
    }

    /** Starts everything but workers ({@link #startWorker}), and registers the tool fake through the API. */
    public static BenchSystem start(BenchOptions options) {
        BenchSystem system = new BenchSystem(options);
        OPEN.add(system);
        try {
            system.startAll();
            return system;
        } catch (RuntimeException | Error e) {
            system.close();
            throw e;
        }
    }

    private void startAll() {
        say("starting the fakes, PostgreSQL and Temporal's test server");
        model = ModelFake.start();
        running.add(model);
        tool = ToolFake.start(options.repoRoot(), options.logDir().resolve("tool-fake.log"));
        running.add(tool);
        postgres = EmbeddedPostgresServer.start(0);
        running.add(postgres);
        startTemporal();
        try {
            watcher = new TaskWatcher("jdbc:" + postgres.url(), EmbeddedPostgresServer.USERNAME, PG_PASSWORD);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not connect to PostgreSQL", e);
        }
        running.add(watcher);
        stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(temporalTarget).build());
        running.add(stubs::shutdownNow);
        workflowClient = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
                .setNamespace("default").build());
        say("starting the API");
        apiProcess = startApi("api", freePort());
        apiReadyAfter = awaitReady(apiProcess);
        api = new Api("http://127.0.0.1:" + apiProcess.port());
        adminToken = token(ADMIN, adminPassword);
        api.post("/api/v1/mcp/servers", adminToken, Map.of("name", TOOL_SERVER, "transport", "streamable-http",
                "url", tool.url(), "allowedTools", List.of(ToolFake.HOLD))).expect(201);
        say("API ready after " + apiReadyAfter.toMillis() + " ms");
    }

    private void startTemporal() {
        int port = freePort();
        temporalTarget = "127.0.0.1:" + port;
        List<String> command = new ArrayList<>(List.of(javaBinary(), options.temporalHeap()));
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.temporal.testserver.TestServer",
                Integer.toString(port)));
        temporal = BenchProcess.launch("temporal", command, options.logDir().resolve("temporal.log"), port,
                Map.of(), null);
        running.add(temporal);
        awaitPort(temporal, port);
        RuntimeException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                SearchAttributeRegistration.register(temporalTarget, "default");
                return;
            } catch (RuntimeException e) {
                last = e;
                sleep(250);
            }
        }
        throw new IllegalStateException("Could not register Keiko's search attributes on " + temporalTarget, last);
    }

    /**
     * Starts another API process on {@code port}, pointed at this system, and answers it without waiting (see
     * {@link #awaitReady}). The system's own API is started this way.
     */
    public BenchProcess startApi(String name, int port) {
        return startApi(name, port, Map.of());
    }

    /** Starts another API process as {@link #startApi(String, int)} does, with {@code more} properties on top. */
    public BenchProcess startApi(String name, int port, Map<String, String> more) {
        Map<String, String> properties = new LinkedHashMap<>(commonProperties());
        properties.put("server.port", Integer.toString(port));
        properties.put("keiko.auth.jwt-secret", jwtSecret);
        properties.put("keiko.auth.admin-password", adminPassword);
        properties.put("keiko.auth.login-throttle.failures-per-address", "1000000");
        properties.put("keiko.auth.login-throttle.failures-per-username-and-address", "1000000");
        properties.put("keiko.auth.login-throttle.failures-per-username-everywhere", "1000000");
        // A tool task's submission checks its tool against the server's tool list, which only a worker can fetch
        // (a ToolCatalogWorkflow on the queue keiko-control) and the API caches: for an hour here instead of a
        // minute, because the submission scenario stops its only worker, and a lookup then costs the submissions
        // waiting on it up to keiko.mcp.tools-check-wait (see warmToolCatalog and toolListTimeouts).
        properties.put("keiko.mcp.tools-cache-ttl", "1h");
        properties.putAll(options.apiProperties());
        properties.putAll(more);
        BenchProcess process = launchJar(name, jar("api", "keiko-api"), options.apiHeap(), properties, port);
        running.add(process);
        return process;
    }

    /** Starts a worker and waits until it is ready (its readiness probe answers 200). */
    public BenchProcess startWorker(WorkerOptions worker) {
        BenchProcess process = launchWorker(worker);
        awaitReady(process);
        return process;
    }

    /** Starts a worker without waiting for it. */
    public BenchProcess launchWorker(WorkerOptions worker) {
        int port = freePort();
        Map<String, String> properties = new LinkedHashMap<>(commonProperties());
        properties.put("server.port", Integer.toString(port));
        if (!worker.sticky()) {
            properties.put("keiko.worker.sticky-queue-schedule-to-start-timeout", "0s");
        }
        properties.putAll(worker.properties());
        BenchProcess process = launchJar(worker.name(), jar("worker", "keiko-worker"), worker.heap(), properties, port);
        workers.add(process);
        running.add(process);
        return process;
    }

    /** What every Keiko process here is given. */
    private Map<String, String> commonProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("keiko.db.url", postgres.url());
        properties.put("keiko.db.username", EmbeddedPostgresServer.USERNAME);
        properties.put("keiko.db.password", PG_PASSWORD);
        properties.put("spring.temporal.connection.target", temporalTarget);
        properties.put("keiko.temporal.search-attributes.use", "always");
        properties.put("keiko.payloads.encryption.keys", payloadKeys);
        properties.put("keiko.mcp.allowed-networks", "127.0.0.0/8,::1/128");
        properties.put("keiko.llm.provider", "openai");
        properties.put("keiko.llm.openai.base-url", model.baseUrl());
        properties.put("keiko.llm.openai.api-key", "bench-key");
        properties.put("keiko.llm.openai.model", ModelFake.MODEL);
        return properties;
    }

    private BenchProcess launchJar(String name, Path jar, String heap, Map<String, String> properties, int port) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), heap));
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-jar", jar.toString()));
        // In the environment, not on the command line, where any user of the machine could read the secrets among them.
        return BenchProcess.launch(name, command, options.logDir().resolve(name + ".log"), port,
                Map.of("SPRING_APPLICATION_JSON", JsonMapper.shared().writeValueAsString(properties)), null);
    }

    /** Waits until the process's readiness probe answers 200; answers how long after its launch that was. */
    public Duration awaitReady(BenchProcess process) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        URI readiness = URI.create("http://127.0.0.1:" + process.port() + "/actuator/health/readiness");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process + " exited before it was ready:\n" + tail(process.output()));
            }
            try {
                HttpResponse<Void> answer = probes.send(HttpRequest.newBuilder(readiness)
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - process.launchedAtNanos());
                }
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(50);
        }
        throw new IllegalStateException(process + " was not ready within " + READY_TIMEOUT);
    }

    /** Whether the process's readiness probe answers 200 now. */
    public boolean isReady(BenchProcess process) {
        URI readiness = URI.create("http://127.0.0.1:" + process.port() + "/actuator/health/readiness");
        try {
            return probes.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitPort(BenchProcess process, int port) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process + " exited:\n" + tail(process.output()));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        throw new IllegalStateException(process + " did not listen on " + port + " within " + READY_TIMEOUT);
    }

    /**
     * Waits until the API has the tool fake's tool list cached: asks for it until it answers 200 at once (it takes a
     * running worker). Submissions that miss the cache wait for a worker to list the tools, up to 10 s.
     */
    public void warmToolCatalog() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Api.Response tools = api.get("/api/v1/mcp/servers/" + TOOL_SERVER + "/tools", adminToken);
            if (tools.status() == 200 && tools.nanos() < Duration.ofSeconds(1).toNanos()) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("The API could not list the tool fake's tools within " + READY_TIMEOUT);
    }

    /**
     * How many tool-list lookups so far failed (the API logs "No worker listed the tools of MCP server ..." once per
     * lookup); the submissions waiting on one went on without the tool check after at most the check wait (2 s).
     */
    public long toolListTimeouts() {
        String log = apiProcess.output();
        long count = 0;
        for (int at = log.indexOf(FAILED_LOOKUP); at >= 0; at = log.indexOf(FAILED_LOOKUP, at + 1)) {
            count++;
        }
        return count;
    }

    /** An access token of {@code username}. */
    public String token(String username, String password) {
        return api.post("/api/v1/auth/token", null, Map.of("username", username, "password", password))
                .expect(200).json().path("accessToken").asString();
    }

    /** Submits a tool task; answers the API's response (202 with the task, or the refusal). */
    public Api.Response submitTool(String token, String server, String toolName, Map<String, Object> arguments) {
        return api.post("/api/v1/tasks", token, Map.of("type", "tool",
                "parameters", Map.of("server", server, "tool", toolName, "arguments", arguments)));
    }

    /** Submits a tool task calling the tool fake's {@code hold} for {@code millis}, labelled {@code label}. */
    public Api.Response submitHold(String label, long millis) {
        return submitTool(adminToken, TOOL_SERVER, ToolFake.HOLD, Map.of("label", label, "millis", millis));
    }

    /**
     * Submits an agent task whose goal carries {@code marker} (see {@link ModelFake#marker}), offered the tool fake's
     * tools, with at most {@code maxSteps} model calls.
     */
    public Api.Response submitAgent(String marker, int maxSteps) {
        return api.post("/api/v1/tasks", adminToken, Map.of("type", "agent", "parameters", Map.of(
                "goal", "Benchmark task " + marker, "tools", List.of(TOOL_SERVER + "/" + ToolFake.HOLD),
                "maxSteps", maxSteps)));
    }

    /** The id of the task a 202 answered. */
    public static UUID taskId(Api.Response response) {
        return UUID.fromString(response.expect(202).json().path("id").asString());
    }

    /** Waits until the read model shows the task in {@code status}: see {@link TaskWatcher}. */
    public TaskWatcher.Seen awaitStatus(UUID taskId, String status, Duration timeout) {
        return watcher.await(taskId, status, timeout);
    }

    public TaskWatcher watcher() {
        return watcher;
    }

    public String adminToken() {
        return adminToken;
    }

    public Api api() {
        return api;
    }

    /** A bare client of the same Temporal server, with the SDK's default data converter. */
    public WorkflowClient workflowClient() {
        return workflowClient;
    }

    public ModelFake model() {
        return model;
    }

    public ToolFake tool() {
        return tool;
    }

    public BenchProcess apiProcess() {
        return apiProcess;
    }

    /** How long the API took from launch to its first ready probe. */
    public Duration apiReadyAfter() {
        return apiReadyAfter;
    }

    public BenchProcess temporal() {
        return temporal;
    }

    public String temporalTarget() {
        return temporalTarget;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    public List<BenchProcess> workers() {
        return List.copyOf(workers);
    }

    public BenchOptions options() {
        return options;
    }

    /**
     * CPU time (user and system, in ms) each process of the system has used so far: the API, Temporal's test server,
     * each running worker by name, the tool fake, PostgreSQL (its server and the backends that ended, and those that
     * run), this JVM (the load driver, the model fake and the watcher), and {@link #MACHINE}; -1 where unknown.
     */
    public Map<String, Long> cpuMillis() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        cpu.put("api", apiProcess.cpuMillis());
        for (BenchProcess worker : workers) {
            if (worker.isAlive()) {
                cpu.put(worker.name(), worker.cpuMillis());
            }
        }
        cpu.put("temporal", temporal.cpuMillis());
        cpu.put("postgres", ProcessCpu.postgresCpuMillis(postgres.port()));
        cpu.put("tool fake", ProcessCpu.cpuMillis(tool.pid()));
        cpu.put("bench JVM", ProcessCpu.selfCpuMillis());
        cpu.put(MACHINE, ProcessCpu.machineBusyMillis());
        return cpu;
    }

    /** Kills the tool fake's process as {@code kill -9} does; {@link #restartTool} starts it again on its port. */
    public void killTool() {
        tool.kill9();
    }

    /** Starts the tool fake again on the port it had (its counts start from nothing). */
    public ToolFake restartTool() {
        int port = tool.port();
        running.remove(tool);
        tool = ToolFake.start(options.repoRoot(), options.logDir().resolve("tool-fake.log"), port);
        running.add(tool);
        return tool;
    }

    /** Stops a worker with SIGTERM (it drains) and forgets it. */
    public void stopWorker(BenchProcess worker) {
        worker.stop();
        workers.remove(worker);
    }

    @Override
    public void close() {
        OPEN.remove(this);
        for (BenchProcess worker : workers) {
            worker.stop(Duration.ofSeconds(20));
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                say("could not stop " + running.get(i) + ": " + e);
            }
        }
        running.clear();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The executable jar of a module, {@code <module>/target/<artifact>-*-exec.jar}. */
    private Path jar(String module, String artifact) {
        Path target = options.repoRoot().resolve(module).resolve("target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(f -> f.getFileName().toString().matches(artifact + "-.*-exec\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No " + artifact + " executable jar in " + target
                            + ": run ./mvnw -B -q -DskipTests install first"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String tail(String output) {
        String[] lines = output.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }

    private static String randomBase64(int bytes) {
        byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void say(String message) {
        System.out.println("bench: " + message);
    }
}
