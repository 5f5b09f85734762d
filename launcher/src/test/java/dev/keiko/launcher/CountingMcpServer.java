package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.launcher.DevSystem.TestUser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mcp-servers/counting-server.mjs} in a Node process of its own: a real MCP server over streamable
 * HTTP whose tool {@code hold} keeps a call open and counts, at the tool, how many tasks it serves at once, and
 * whose tool {@code fail} answers an error ({@code isError}) whose text is its argument {@code message}.
 */
final class CountingMcpServer implements AutoCloseable {

    private static final Path SCRIPT = Path.of("../mcp-servers/counting-server.mjs").toAbsolutePath().normalize();
    private static final Pattern LISTENING = Pattern.compile("listening on (\\d+)");

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private CountingMcpServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static CountingMcpServer start() {
        try {
            Process process = new ProcessBuilder("node", SCRIPT.toString(), "0")
                    .directory(SCRIPT.getParent().toFile()).redirectErrorStream(true).start();
            BufferedReader output = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = output.readLine();
            Matcher listening = line == null ? null : LISTENING.matcher(line);
            if (listening == null || !listening.find()) {
                process.destroyForcibly();
                throw new IllegalStateException("The counting MCP server did not start: " + line);
            }
            Thread.ofVirtual().start(() -> output.lines().forEach(ignored -> { }));
            return new CountingMcpServer(process, Integer.parseInt(listening.group(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    /** What the tool has counted since the last {@link #reset()}. */
    Stats stats() {
        return json.readValue(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats")).GET()),
                Stats.class);
    }

    void reset() {
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

    /**
     * Registers this server for {@code operator} and runs a tool task on its {@code fail} tool, whose error text
     * quotes {@code secret}; answers the task's id once it has failed with that text in its result.
     */
    String failedTask(WebTestClient web, TestUser operator, String secret) {
        String server = "failing-" + UUID.randomUUID().toString().substring(0, 8);
        web.post().uri("/api/v1/mcp/servers").header(HttpHeaders.AUTHORIZATION, operator.bearer())
                .bodyValue(Map.of("name", server, "transport", "streamable-http", "url", url(),
                        "allowedTools", List.of("fail")))
                .exchange().expectStatus().isCreated();
        String id = (String) web.post().uri("/api/v1/tasks")
                .header(HttpHeaders.AUTHORIZATION, operator.bearer())
                .bodyValue(Map.of("type", "tool", "parameters", Map.of("server", server, "tool", "fail",
                        "arguments", Map.of("message", "cannot use " + secret))))
                .exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        Map<?, ?> failed = TaskFlowTest.awaitStatus(web, operator, id, "failed", Duration.ofSeconds(30));
        // The text is there to leak: the task's owner reads it in the result.
        assertThat(((Map<?, ?>) failed.get("result")).get("errorMessage")).asString().contains(secret);
        return id;
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

    /**
     * @param maxAtOnce the most labels (tasks) with a call in flight at the same moment
     * @param atOnce the labels with a call in flight now
     * @param starts every call's start, in order
     * @param ends every call's end, in order, {@code completed} or {@code cancelled}
     */
    record Stats(int maxAtOnce, int atOnce, List<Call> starts, List<Call> ends) {

        List<String> startedLabels() {
            return starts.stream().map(Call::label).toList();
        }
    }

    /** A call's start (with the MCP session it came over) or end (with how it ended). */
    record Call(String label, long at, String session, String how) {
    }
}
