package dev.keiko.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The third-party OpenAI-compatible mock {@code openai-mock-api} (npm, pinned in {@code model-servers/}) in a Node
 * process of its own: it answers every chat completion, whatever the user asked, with {@link #ANSWER}, streamed a
 * word every 50 ms and without a usage chunk, so Keiko estimates the usage.
 */
final class OpenAiMockServer implements AutoCloseable {

    static final String API_KEY = "openai-mock-key";
    static final String MODEL = "mock-model";
    static final String ANSWER = "A durable answer streams word by word from the mock model to the worker, into the"
            + " task's event log in PostgreSQL, and out to every client that follows the task, in order and"
            + " complete, with nothing lost and nothing repeated on the way.";

    private static final Path CLI = Path.of("../model-servers/node_modules/openai-mock-api/dist/cli.js")
            .toAbsolutePath().normalize();
    private static final Pattern STARTED = Pattern.compile("server started on port (\\d+)");
    private static final int ATTEMPTS = 3;

    private final Process process;
    private final Path config;
    private final int port;

    private OpenAiMockServer(Process process, Path config, int port) {
        this.process = process;
        this.config = config;
        this.port = port;
    }

    /** Starts the mock on a free port; tries another if that one was taken before the mock could bind it. */
    static OpenAiMockServer start() {
        try {
            Path config = Files.createTempFile("openai-mock-", ".yaml");
            Files.writeString(config, """
                    apiKey: '%s'
                    responses:
                      - id: 'any-question'
                        messages:
                          - role: 'user'
                            matcher: 'any'
                          - role: 'assistant'
                            content: '%s'
                    """.formatted(API_KEY, ANSWER.replace("'", "''")));
            List<String> failures = new ArrayList<>();
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                OpenAiMockServer server = tryStart(config, freePort(), failures);
                if (server != null) {
                    return server;
                }
            }
            Files.deleteIfExists(config);
            throw new IllegalStateException("openai-mock-api did not start (run the build, which installs it"
                    + " under model-servers/): " + failures);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OpenAiMockServer tryStart(Path config, int port, List<String> failures) throws IOException {
        Process process = new ProcessBuilder("node", CLI.toString(), "--config", config.toString(),
                "--port", String.valueOf(port))
                .directory(CLI.getParent().toFile()).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            Matcher started = STARTED.matcher(line);
            if (started.find() && Integer.parseInt(started.group(1)) == port) {
                Thread.ofVirtual().start(() -> output.lines().forEach(ignored -> { }));
                return new OpenAiMockServer(process, config, port);
            }
            lines.add(line);
        }
        process.destroyForcibly();
        failures.add(String.join("\n", lines));
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The base URL of its OpenAI API, as {@code keiko.llm.openai.base-url} takes it. */
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
