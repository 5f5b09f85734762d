package dev.keiko.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible model in the test JVM that streams every chat completion as {@code chat.completion.chunk}
 * server-sent events: a role chunk, then after {@link #FIRST_CHUNK_DELAY} {@link #WORDS} content chunks
 * {@link #CHUNK_INTERVAL} apart, the finish reason, the usage and {@code [DONE]}. It notes the
 * {@link System#nanoTime()} at which it flushed the first content chunk of a request whose messages hold a marker
 * ({@link #marker}). WireMock cannot do this: it writes a body whole, or cut into chunks of its choosing. A request
 * for any other model is passed on, as it came, to the server given to {@link #relayOtherModelsTo}, whose answer is
 * copied back as it arrives.
 */
final class StreamingModelFake implements AutoCloseable {

    static final String MODEL = "streaming-fake";
    static final Duration FIRST_CHUNK_DELAY = Duration.ofMillis(200);
    static final Duration CHUNK_INTERVAL = Duration.ofMillis(20);
    static final int WORDS = 30;
    private static final Pattern MARKER = Pattern.compile("marker-[0-9a-f-]{36}");

    private final HttpServer server;
    private final Map<String, Long> firstChunkFlushedAt = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private volatile String relayBaseUrl;

    StreamingModelFake() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Its OpenAI-style base URL, for {@code keiko.llm.openai.base-url}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Passes requests for models other than {@link #MODEL} on to that OpenAI-style base URL. */
    void relayOtherModelsTo(String baseUrl) {
        relayBaseUrl = baseUrl;
    }

    static String marker(UUID id) {
        return "marker-" + id;
    }

    /** When it flushed the first content chunk of the answer to the request that held {@code marker}; null if not. */
    Long firstChunkFlushedAt(String marker) {
        return firstChunkFlushedAt.get(marker);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (relayBaseUrl != null && !request.contains("\"model\":\"" + MODEL + "\"")) {
            relay(exchange, request);
            return;
        }
        Matcher marker = MARKER.matcher(request);
        String key = marker.find() ? marker.group() : null;
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            send(body, "{\"role\":\"assistant\",\"content\":\"\"}", "null");
            Thread.sleep(FIRST_CHUNK_DELAY);
            for (int word = 0; word < WORDS; word++) {
                send(body, "{\"content\":\"word" + word + " \"}", "null");
                if (word == 0 && key != null) {
                    firstChunkFlushedAt.putIfAbsent(key, System.nanoTime());
                }
                Thread.sleep(CHUNK_INTERVAL);
            }
            send(body, "{}", "\"stop\"");
            event(body, "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1764150000,"
                    + "\"model\":\"" + MODEL + "\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":" + WORDS + ",\"total_tokens\":"
                    + (12 + WORDS) + "}}");
            event(body, "[DONE]");
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (IOException clientLeft) {
            // The call was cancelled: nothing more to send.
        }
    }

    private void relay(HttpExchange exchange, String request) throws IOException {
        String path = exchange.getRequestURI().getPath().replaceFirst("^/v1", "");
        HttpRequest.Builder upstream = HttpRequest.newBuilder(URI.create(relayBaseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request));
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            upstream.header("Authorization", authorization);
        }
        try {
            HttpResponse<InputStream> answer = http.send(upstream.build(), HttpResponse.BodyHandlers.ofInputStream());
            answer.headers().firstValue("Content-Type")
                    .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            exchange.sendResponseHeaders(answer.statusCode(), 0);
            try (InputStream from = answer.body(); OutputStream to = exchange.getResponseBody()) {
                byte[] buffer = new byte[8192];
                for (int read = from.read(buffer); read >= 0; read = from.read(buffer)) {
                    to.write(buffer, 0, read);
                    to.flush();
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (IOException clientOrServerLeft) {
            // The call was cancelled, or the mock stopped: nothing more to pass on.
        } finally {
            exchange.close();
        }
    }

    private static void send(OutputStream body, String delta, String finishReason) throws IOException {
        event(body, "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1764150000,"
                + "\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ","
                + "\"finish_reason\":" + finishReason + "}]}");
    }

    private static void event(OutputStream body, String data) throws IOException {
        body.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        body.flush();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
