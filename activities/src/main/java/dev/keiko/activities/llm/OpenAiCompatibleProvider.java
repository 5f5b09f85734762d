package dev.keiko.activities.llm;

import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.llm.ImageGenerationOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM Studio, llama.cpp's server) over the JDK's
 * HTTP client: the Azure SDK forces Azure's paths onto custom endpoints. Chat completions stream
 * ({@code stream: true} with {@code include_usage}); a server that answers with the whole JSON instead is read
 * as before.
 */
final class OpenAiCompatibleProvider implements ChatProvider {

    static final String NAME = "OpenAI-compatible endpoint";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final String baseUrl;
    private final String apiKey;
    // Until the answer begins; the activity's start-to-close timeout bounds the whole call.
    private final Duration responseTimeout;
    // HTTP/1.1: local servers speak nothing else, and an h2c upgrade attempt on every call buys nothing.
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    OpenAiCompatibleProvider(LlmProperties.OpenAi openai, Duration responseTimeout) {
        this.responseTimeout = responseTimeout;
        this.baseUrl = openai.baseUrl().trim().replaceAll("/+$", "");
        this.apiKey = openai.apiKey() == null || openai.apiKey().isBlank() ? null : openai.apiKey();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void complete(String model, ChatCompletionInput input, ChatAnswer answer) throws InterruptedException {
        HttpResponse<InputStream> response = send(request("/chat/completions", OpenAiJson.chatRequest(model, input))
                .header("Accept", "text/event-stream, application/json").build(), BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() >= 300) {
                throw LlmFailures.ofResponse(NAME, model, response.statusCode(),
                        name -> response.headers().firstValue(name).orElse(null), ErrorBodies.read(body));
            }
            answer.reading(body);
            ChatEventStream.readAnswer(NAME, body, answer,
                    json -> OpenAiJson.chatOutput(new String(json, StandardCharsets.UTF_8), model));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ImageGenerationOutput generateImage(String model, ImageGenerationInput input) throws InterruptedException {
        String body = post("/images/generations", model, OpenAiJson.imageRequest(model, input));
        return OpenAiJson.imageOutput(NAME, body, model);
    }

    /** The body of a successful answer; an error response is thrown as its failure. */
    private String post(String path, String model, String json) throws InterruptedException {
        HttpResponse<String> response = send(request(path, json).header("Accept", "application/json").build(),
                BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw LlmFailures.ofResponse(NAME, model, response.statusCode(),
                    name -> response.headers().firstValue(name).orElse(null), response.body());
        }
        return response.body();
    }

    private HttpRequest.Builder request(String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(responseTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return request;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws InterruptedException {
        try {
            return http.send(request, body);
        } catch (IOException e) {
            // Not answered: classified by the activity, which releases the call's tokens when no connection was made
            // and keeps them charged otherwise (the answer may have been lost).
            throw new UncheckedIOException(e);
        }
    }

}
