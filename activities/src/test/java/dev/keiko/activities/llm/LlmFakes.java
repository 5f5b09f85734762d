package dev.keiko.activities.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatMessage;
import dev.keiko.workflows.llm.ToolDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** What the tests send to the fake providers, and the provider answers they fake, from {@code llm/}. */
final class LlmFakes {

    static final String API_VERSION = "2024-10-21";
    static final String AZURE_KEY = "azure-test-key";
    static final String AZURE_DEPLOYMENT = "gpt-4o";
    static final String AZURE_IMAGE_DEPLOYMENT = "dall-e-3";
    static final String AZURE_CHAT = "/openai/deployments/" + AZURE_DEPLOYMENT + "/chat/completions";
    static final String AZURE_IMAGES = "/openai/deployments/" + AZURE_IMAGE_DEPLOYMENT + "/images/generations";
    static final String OPENAI_KEY = "sk-test-key";
    static final String OPENAI_MODEL = "gpt-4o-mini";
    static final String OPENAI_CHAT = "/v1/chat/completions";
    static final String OPENAI_IMAGES = "/v1/images/generations";

    static final ToolDefinition WEATHER = new ToolDefinition("get_weather", "The weather in a city",
            Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")),
                    "required", List.of("city")));

    private LlmFakes() {
    }

    static LlmProperties azure(String baseUrl) {
        return new LlmProperties(LlmProperties.AZURE,
                new LlmProperties.Azure(baseUrl, AZURE_KEY, API_VERSION, AZURE_DEPLOYMENT, AZURE_IMAGE_DEPLOYMENT),
                new LlmProperties.OpenAi(null, null, null, null), null);
    }

    static LlmProperties openAi(String baseUrl) {
        return new LlmProperties(LlmProperties.OPENAI,
                new LlmProperties.Azure(null, null, API_VERSION, null, null),
                new LlmProperties.OpenAi(baseUrl + "/v1", OPENAI_KEY, OPENAI_MODEL, "dall-e-3"), null);
    }

    static ChatCompletionInput question() {
        return new ChatCompletionInput("task-1", null, null,
                List.of(ChatMessage.system("Answer briefly."), ChatMessage.user("What is the capital of France?")),
                List.of(), 0.2, 100);
    }

    static ChatCompletionInput withTools() {
        return new ChatCompletionInput("task-1", null, null,
                List.of(ChatMessage.user("What is the weather in Paris?")), List.of(WEATHER), null, null);
    }

    static ResponseDefinitionBuilder json(int status, String resource) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(read(resource));
    }

    /** A local port nothing listens on. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String resource) {
        try (InputStream in = LlmFakes.class.getResourceAsStream("/llm/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource llm/" + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
