package dev.keiko.launcher;

import dev.keiko.api.ApiApplication;
import dev.keiko.embedded.EmbeddedPostgresServer;
import dev.keiko.embedded.SearchAttributeRegistration;
import dev.keiko.embedded.TemporalDevServer;
import dev.keiko.worker.WorkerApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the whole system in one process: Temporal's dev server on 127.0.0.1:7233 and an embedded
 * PostgreSQL on 127.0.0.1:15432 (unless configured to use real ones), one worker and the API, until
 * Ctrl-C. Other worker processes can join on the same addresses.
 */
public final class DevLauncher {

    static final String DEV_ALLOWED_NETWORKS = "127.0.0.0/8,::1/128";
    static final String DEV_CODEC_ORIGINS = "http://localhost:8233,http://127.0.0.1:8233";

    private final List<AutoCloseable> running = new ArrayList<>();

    public static void main(String[] args) {
        DevLauncher launcher = new DevLauncher();
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::stop, "keiko-dev-shutdown"));
        launcher.start(DevSettings.fromEnvironment(), args);
    }

    void start(DevSettings settings, String[] args) {
        // PostgreSQL and Temporal start side by side: neither needs the other.
        CompletableFuture<EmbeddedPostgresServer> postgres = settings.embeddedPostgres()
                ? CompletableFuture.supplyAsync(() -> EmbeddedPostgresServer.start(settings.postgresPort()))
                : CompletableFuture.completedFuture(null);
        CompletableFuture<TemporalDevServer> temporal = settings.embeddedTemporal()
                ? CompletableFuture.supplyAsync(() -> TemporalDevServer.start(settings.temporalPort()))
                : CompletableFuture.completedFuture(null);
        // Both are waited for and kept, so that one that started is stopped with the rest when the other failed.
        CompletableFuture.allOf(postgres, temporal).exceptionally(failure -> null).join();
        keep(postgres);
        keep(temporal);
        started(postgres).ifPresent(server -> {
            System.setProperty("keiko.db.url", server.url());
            System.setProperty("keiko.db.username", EmbeddedPostgresServer.USERNAME);
            System.setProperty("keiko.db.password", EmbeddedPostgresServer.PASSWORD);
            say("PostgreSQL (embedded) at " + server.url());
        });
        Optional<TemporalDevServer> dev = started(temporal);
        dev.ifPresent(server -> {
            System.setProperty("spring.temporal.connection.target", server.target());
            TemporalDevServer.processProperties().forEach(System::setProperty);
            say("Temporal dev server at " + server.target() + " (namespace default)");
        });
        if (dev.isEmpty()) {
            registerSearchAttributes();
        }
        settings.generatedSecrets().forEach(System::setProperty);
        if (System.getenv("KEIKO_MCP_ALLOWED_NETWORKS") == null
                && System.getProperty("keiko.mcp.allowed-networks") == null) {
            // MCP servers on this machine are the point of a dev system; nothing else inside is reachable.
            System.setProperty("keiko.mcp.allowed-networks", DEV_ALLOWED_NETWORKS);
        }
        if (System.getenv("KEIKO_CODEC_ALLOWED_ORIGINS") == null
                && System.getProperty("keiko.codec.allowed-origins") == null) {
            // The Temporal dev server's Web UI, which may call the codec endpoint from the browser.
            System.setProperty("keiko.codec.allowed-origins", DEV_CODEC_ORIGINS);
        }
        if (settings.generatedAdminPassword() != null) {
            say("If no admin exists yet, user 'admin' is created with password: "
                    + settings.generatedAdminPassword());
        }
        if (settings.generatedSecrets().containsKey("keiko.payloads.encryption.keys")) {
            say("Payloads are encrypted with the dev key in " + DevSettings.DEV_PAYLOAD_KEYS
                    + " (generated on the first run); give added workers KEIKO_PAYLOADS_ENCRYPTION_KEYS=$(cat "
                    + DevSettings.DEV_PAYLOAD_KEYS + ")");
        }
        ConfigurableApplicationContext worker = WorkerApplication.builder().registerShutdownHook(false)
                .run(workerArguments(args));
        running.add(worker);
        DevMcpServers.registerEverything(worker);
        ConfigurableApplicationContext api = ApiApplication.builder().registerShutdownHook(false).run(args);
        running.add(api);
        say("Keiko is up: API on http://localhost:" + api.getEnvironment().getProperty("local.server.port")
                + ", worker's actuator on http://localhost:" + worker.getEnvironment().getProperty("local.server.port")
                + " — Ctrl-C to stop");
    }

    /** A server that started, kept to be stopped with the rest; nothing for one that failed or was not to start. */
    private void keep(CompletableFuture<? extends AutoCloseable> start) {
        if (!start.isCompletedExceptionally() && start.join() != null) {
            running.add(start.join());
        }
    }

    /** The server, or empty when none was to start; fails as its start failed. */
    private static <T> Optional<T> started(CompletableFuture<T> start) {
        try {
            return Optional.ofNullable(start.join());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** On a Temporal of one's own (such as {@code temporal server start-dev}), so that its Web UI can filter tasks. */
    private static void registerSearchAttributes() {
        String target = System.getProperty("spring.temporal.connection.target",
                System.getenv("SPRING_TEMPORAL_CONNECTION_TARGET"));
        String namespace = System.getProperty("spring.temporal.namespace",
                System.getenv().getOrDefault("SPRING_TEMPORAL_NAMESPACE", TemporalDevServer.NAMESPACE));
        try {
            List<String> added = SearchAttributeRegistration.register(target, namespace);
            say("Keiko's search attributes registered in namespace " + namespace
                    + (added.isEmpty() ? " (all there already)" : ": added " + String.join(", ", added)));
        } catch (RuntimeException e) {
            say("could not register Keiko's search attributes in namespace " + namespace + " at " + target
                    + " (tasks start without them): " + e.getMessage());
        }
    }

    /**
     * The API's arguments with the worker's own port: both contexts read the same environment, where
     * {@code SERVER_PORT} or {@code --server.port} means the API's.
     */
    static String[] workerArguments(String[] args) {
        List<String> worker = new ArrayList<>();
        for (String arg : args) {
            if (!arg.startsWith("--server.port=")) {
                worker.add(arg);
            }
        }
        String port = System.getenv("KEIKO_WORKER_PORT");
        worker.add("--server.port=" + (port == null || port.isBlank() ? "8081" : port));
        return worker.toArray(String[]::new);
    }

    synchronized void stop() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("keiko-dev: could not stop " + running.get(i) + ": " + e);
            }
        }
        running.clear();
    }

    private static void say(String message) {
        System.out.println("keiko-dev: " + message);
    }
}
