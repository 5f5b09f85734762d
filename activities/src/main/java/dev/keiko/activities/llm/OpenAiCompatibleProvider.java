package dev.keiko.activities.llm;

import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.llm.ImageGenerationOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * An OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM Studio, llama.cpp's server) over the JDK's
 * HTTP client: the Azure SDK forces Azure's paths onto custom endpoints.
 */
final class OpenAiCompatibleProvider implements ChatProvider {

    static final String NAME = "OpenAI-compatible endpoint";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    // The activity's start-to-close timeout bounds a call; this only ends calls whose activity is gone.
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(3);

    private final String baseUrl;
    private final String apiKey;
    // HTTP/1.1: local servers speak nothing else, and an h2c upgrade attempt on every call buys nothing.
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    OpenAiCompatibleProvider(LlmProperties.OpenAi openai) {
        this.baseUrl = openai.baseUrl().trim().replaceAll("/+$", "");
        this.apiKey = openai.apiKey() == null || openai.apiKey().isBlank() ? null : openai.apiKey();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChatCompletionOutput complete(String model, ChatCompletionInput input) throws InterruptedException {
        return OpenAiJson.chatOutput(post("/chat/completions", model, OpenAiJson.chatRequest(model, input)), model);
    }

    @Override
    public ImageGenerationOutput generateImage(String model, ImageGenerationInput input) throws InterruptedException {
        String body = post("/images/generations", model, OpenAiJson.imageRequest(model, input));
        return OpenAiJson.imageOutput(NAME, body, model);
    }

    /** The body of a successful answer; an error response is thrown as its failure. */
    private String post(String path, String model, String json) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(RESPONSE_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // Not answered: classified by the activity, which releases the call's tokens when no connection was made
            // and keeps them charged otherwise (the answer may have been lost).
            throw new UncheckedIOException(e);
        }
        if (response.statusCode() >= 300) {
            throw LlmFailures.ofResponse(NAME, model, response.statusCode(),
                    name -> response.headers().firstValue(name).orElse(null), response.body());
        }
        return response.body();
    }
}
