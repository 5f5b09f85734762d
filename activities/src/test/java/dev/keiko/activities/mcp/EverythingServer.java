package dev.keiko.activities.mcp;

import dev.keiko.domain.mcp.McpServer;
import dev.keiko.domain.mcp.McpTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The reference server {@code @modelcontextprotocol/server-everything}, installed into
 * {@code ../mcp-servers} by the build: stdio definitions for the client to start, and a
 * streamable HTTP process the test starts, kills and restarts itself.
 */
public final class EverythingServer implements AutoCloseable {

    public static final Path NODE_MODULES = Path.of("..", "mcp-servers", "node_modules").toAbsolutePath().normalize();
    public static final Path INDEX = NODE_MODULES.resolve("@modelcontextprotocol/server-everything/dist/index.js");

    private final int port;
    private Process process;

    private EverythingServer(int port) {
        this.port = port;
    }

    /** A stdio server definition; the marker argument, which the server ignores, finds its process. */
    public static McpServer stdio(String name, Map<String, String> env) {
        requireInstalled();
        return new McpServer(name, McpTransport.STDIO, "node", List.of(INDEX.toString(), "stdio", marker(name)), env,
                null, Map.of(), McpServer.FROM_API);
    }

    public static String marker(String name) {
        return "--keiko-test-server=" + name;
    }

    /** The live stdio server processes the client started for that server definition. */
    public static List<ProcessHandle> processes(String name) {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().commandLine().map(line -> line.contains(marker(name))).orElse(false))
                .toList();
    }

    /** Kills the stdio server process the client started for that server definition. */
    public static void killStdio(String name) throws Exception {
        List<ProcessHandle> processes = processes(name);
        if (processes.isEmpty()) {
            throw new IllegalStateException("No process runs MCP server " + name);
        }
        for (ProcessHandle handle : processes) {
            handle.destroyForcibly();
            handle.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    public static EverythingServer startStreamableHttp() {
        EverythingServer server = new EverythingServer(freePort());
        server.start();
        return server;
    }

    public McpServer definition(String name, McpTransport transport) {
        return new McpServer(name, transport, null, List.of(), Map.of(), "http://127.0.0.1:" + port + "/mcp",
                Map.of(), McpServer.FROM_API);
    }

    public void start() {
        requireInstalled();
        try {
            ProcessBuilder builder = new ProcessBuilder("node", INDEX.toString(), "streamableHttp")
                    .redirectErrorStream(true);
            builder.environment().put("PORT", Integer.toString(port));
            process = builder.start();
            CompletableFuture<Void> listening = new CompletableFuture<>();
            Thread reader = new Thread(() -> drain(process, listening), "everything-server-output");
            reader.setDaemon(true);
            reader.start();
            listening.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("server-everything did not start on port " + port, e);
        }
    }

    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void drain(Process process, CompletableFuture<Void> listening) {
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = output.readLine()) != null; ) {
                if (line.contains("listening on port")) {
                    listening.complete(null);
                }
            }
        } catch (IOException e) {
            listening.completeExceptionally(e);
        }
        listening.completeExceptionally(new IllegalStateException("server-everything exited"));
    }

    private static void requireInstalled() {
        if (!Files.isRegularFile(INDEX)) {
            throw new IllegalStateException(INDEX + " is missing: run npm install in mcp-servers (mvn does)");
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
