package dev.keiko.activities.llm;

import com.azure.ai.openai.OpenAIClient;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ImageGenerationData;
import com.azure.ai.openai.models.ImageGenerationOptions;
import com.azure.ai.openai.models.ImageGenerations;
import com.azure.ai.openai.models.ImageSize;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.rest.RequestOptions;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import dev.keiko.domain.llm.LlmProperties;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.llm.ImageGenerationOutput;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/** Azure OpenAI through Microsoft's SDK, one client per endpoint. */
final class AzureOpenAiProvider implements ChatProvider {

    static final String NAME = "Azure OpenAI";

    private static final JsonMapper JSON = JsonMapper.shared();

    private final OpenAIClient client;

    AzureOpenAiProvider(LlmProperties.Azure azure, Duration responseTimeout) {
        this.client = AzureOpenAiClients.build(azure, responseTimeout);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Streams through the SDK's protocol method and reads the events as the OpenAI-compatible provider does: the
     * SDK's own {@code getChatCompletionsStream} drops the argument fragments of streamed tool calls (they carry no
     * {@code type}, so they deserialize as a bare {@code ChatCompletionsToolCall}), and its synchronous client
     * buffers the whole stream before handing out the first chunk.
     */
    @Override
    public void complete(String deployment, ChatCompletionInput input, ChatAnswer answer) {
        BinaryData request = AzureOpenAiMessages.streamingRequest(input);
        Response<BinaryData> response = call(deployment,
                () -> client.getChatCompletionsWithResponse(deployment, request, new RequestOptions()));
        try (InputStream body = response.getValue().toStream()) {
            answer.reading(body);
            ChatEventStream.readAnswer(NAME, body, answer, json -> AzureOpenAiMessages.output(
                    BinaryData.fromBytes(json).toObject(ChatCompletions.class), deployment));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ImageGenerationOutput generateImage(String deployment, ImageGenerationInput input) {
        ImageGenerationOptions options = new ImageGenerationOptions(input.prompt());
        if (input.size() != null && !input.size().isBlank()) {
            options.setSize(ImageSize.fromString(input.size()));
        }
        ImageGenerations images = call(deployment, () -> client.getImageGenerations(deployment, options));
        List<ImageGenerationData> data = images.getData() == null ? List.of() : images.getData();
        if (data.stream().anyMatch(image -> image.getUrl() == null && image.getBase64Data() != null)) {
            throw LlmFailures.base64Only(NAME);
        }
        String revisedPrompt = data.isEmpty() ? null : data.getFirst().getRevisedPrompt();
        return new ImageGenerationOutput(data.stream().map(ImageGenerationData::getUrl).toList(), revisedPrompt,
                deployment);
    }

    private static <T> T call(String deployment, Supplier<T> request) {
        try {
            return request.get();
        } catch (HttpResponseException e) {
            throw failure(deployment, e);
        }
    }

    private static ApplicationFailure failure(String deployment, HttpResponseException e) {
        HttpResponse response = e.getResponse();
        if (response == null) {
            return LlmFailures.ofResponse(NAME, deployment, 500, name -> null, e.getMessage());
        }
        return LlmFailures.ofResponse(NAME, deployment, response.getStatusCode(),
                name -> response.getHeaderValue(HttpHeaderName.fromString(name)), body(e));
    }

    // The SDK hands the error body over already deserialized, as a map, or as text it could not parse.
    private static String body(HttpResponseException e) {
        Object value = e.getValue();
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof BinaryData data) {
            return data.toString();
        }
        return value == null ? null : JSON.writeValueAsString(value);
    }
}
