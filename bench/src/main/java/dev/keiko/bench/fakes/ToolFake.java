package dev.keiko.bench.fakes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tool: {@code mcp-servers/counting-server.mjs}, a Node MCP server over streamable HTTP, in a process of its own.
 * Its tool {@code hold} answers after {@code millis} given in the call's arguments, and records each call's start and
 * end (completed, cancelled by Keiko, or abandoned when the HTTP exchange closed) under the call's {@code label}.
 */
public final class ToolFake implements AutoCloseable {

    /** The tool that answers after {@code millis}; arguments {@code {"label": "...", "millis": n}}. */
    public static final String HOLD = "hold";

    private static final Pattern LISTENING = Pattern.compile("listening on (\\d+)");

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();

    private ToolFake(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts it from the repository at {@code repoRoot}, its output going to {@code log}. */
    public static ToolFake start(Path repoRoot, Path log) {
        return start(repoRoot, log, 0);
    }

    /** Starts it on {@code port} (0: any free one), its output in {@code log} (added to it when a port is given). */
    public static ToolFake start(Path repoRoot, Path log, int port) {
        Path script = repoRoot.resolve("mcp-servers/counting-server.mjs");
        if (!Files.isDirectory(repoRoot.resolve("mcp-servers/node_modules"))) {
            throw new IllegalStateException("mcp-servers/node_modules is missing: build the project first"
                    + " (./mvnw -B -q -DskipTests install runs npm install there)");
        }
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder("node", script.toString(), Integer.toString(port))
                    .directory(script.getParent().toFile()).redirectErrorStream(true).start();
            BufferedReader output = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = output.readLine();
            Matcher listening = line == null ? null : LISTENING.matcher(line);
            if (listening == null || !listening.find()) {
                process.destroyForcibly();
                throw new IllegalStateException("The tool fake (counting-server.mjs) did not start: " + line);
            }
            // Started again on its port, it adds to the log of its first start.
            Writer logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    port == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            logWriter.write(line + "\n");
            logWriter.flush();
            Thread.ofVirtual().name("tool-fake-log").start(() -> {
                try (logWriter; output) {
                    for (String next = output.readLine(); next != null; next = output.readLine()) {
                        logWriter.write(next + "\n");
                        logWriter.flush();
                    }
                } catch (IOException ignored) {
                    // The process ended.
                }
            });
            return new ToolFake(process, Integer.parseInt(listening.group(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its MCP endpoint, for registration as a {@code streamable-http} server. */
    public String url() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    public int port() {
        return port;
    }

    /** Ends it at once, as {@code kill -9} does, and waits for it to be gone. */
    public void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long pid() {
        return process.pid();
    }

    /**
     * What it counted since the last {@link #reset()}: {@code maxAtOnce}, {@code atOnce}, {@code starts[]} and
     * {@code ends[]} ({@code label}, {@code at} in epoch milliseconds, {@code how}).
     */
    public JsonNode stats() {
        return json.readTree(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats")).GET()));
    }

    public void reset() {
        send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private String send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
