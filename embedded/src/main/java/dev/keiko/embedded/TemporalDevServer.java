package dev.keiko.embedded;

import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.TreeMap;

/**
 * Temporal's in-memory test server listening on a real port in real time, so several processes
 * (the API, any number of workers, tctl-like tools) can share it. Closing stops it.
 */
public final class TemporalDevServer implements AutoCloseable {

    /** The namespace Keiko uses on it, as on any server unless configured otherwise. */
    public static final String NAMESPACE = "default";

    private final TestServer.PortBoundTestServer server;
    private final int port;

    private TemporalDevServer(TestServer.PortBoundTestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a server on {@code port}, or on a free port when it is 0, with Keiko's search attributes registered
     * in its namespace {@value #NAMESPACE}.
     */
    public static TemporalDevServer start(int port) {
        int chosen = port > 0 ? port : freePort();
        // Locked time skipping: workflow time is wall-clock time, as on a real cluster.
        TemporalDevServer server = new TemporalDevServer(TestServer.createPortBoundServer(chosen, true), chosen);
        try {
            SearchAttributeRegistration.register(server.target(), NAMESPACE);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * What every Keiko process on this server needs: {@link #workerProperties()}, and the API told to set Keiko's
     * search attributes, which this server has but cannot list.
     */
    public static Map<String, String> processProperties() {
        Map<String, String> properties = new TreeMap<>(workerProperties());
        properties.put("keiko.temporal.search-attributes.use", "always");
        return properties;
    }

    /**
     * What workers on this server need: no sticky execution. The server keeps sending a workflow's
     * tasks to the sticky queue of the worker that last ran it, even once that worker has died, so a
     * crashed worker's workflows would otherwise stop.
     */
    public static Map<String, String> workerProperties() {
        return Map.of("keiko.worker.sticky-queue-schedule-to-start-timeout", "0s");
    }

    public int port() {
        return port;
    }

    /** The address for {@code spring.temporal.connection.target}. */
    public String target() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.close();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
