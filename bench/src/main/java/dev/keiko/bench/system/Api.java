package dev.keiko.bench.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON client of the API: the JDK's HTTP/1.1 client, which opens a connection per request in flight and keeps it
 * for the next one (as many as the callers' concurrency), on virtual threads.
 */
public final class Api {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();

    public Api(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** POSTs {@code body} as JSON (null: no body) with the bearer {@code token} (null: none). */
    public Response post(String path, String token, Object body) {
        return post(path, token, body, java.util.Map.of());
    }

    /** POSTs as {@link #post(String, String, Object)} does, with more {@code headers}. */
    public Response post(String path, String token, Object body, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = request(path, token);
        headers.forEach(request::header);
        request
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        return send(request);
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private Response send(HttpRequest.Builder request) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), System.nanoTime() - started);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer, with how long it took from sending the request to reading the whole body. */
    public record Response(int status, String body, long nanos) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** Throws unless the status is {@code expected}. */
        public Response expect(int expected) {
            if (status != expected) {
                throw new IllegalStateException("Expected " + expected + ", got " + status + ": " + body);
            }
            return this;
        }
    }
}
