package dev.keiko.activities.llm;

import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.ChatMessage;
import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.llm.ImageGenerationOutput;
import dev.keiko.workflows.llm.TokenUsage;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.llm.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON of OpenAI's chat completions and image generations APIs, to and from Keiko's records. */
final class OpenAiJson {

    private static final JsonMapper JSON = JsonMapper.shared();

    private OpenAiJson() {
    }

    static String chatRequest(String model, ChatCompletionInput input) {
        ObjectNode request = JSON.createObjectNode().put("model", model);
        ArrayNode messages = request.putArray("messages");
        input.messages().forEach(message -> messages.add(message(message)));
        if (!input.tools().isEmpty()) {
            ArrayNode tools = request.putArray("tools");
            input.tools().forEach(tool -> tools.add(tool(tool)));
        }
        if (input.temperature() != null) {
            request.put("temperature", input.temperature());
        }
        if (input.maxTokens() != null) {
            request.put("max_tokens", input.maxTokens());
        }
        return JSON.writeValueAsString(streaming(request));
    }

    /** Asks for the answer as server-sent events, with a last chunk that reports the usage. */
    static ObjectNode streaming(ObjectNode request) {
        request.put("stream", true).putObject("stream_options").put("include_usage", true);
        return request;
    }

    static ChatCompletionOutput chatOutput(String body, String model) {
        JsonNode answer = JSON.readTree(body);
        JsonNode choice = answer.path("choices").path(0);
        JsonNode message = choice.path("message");
        List<ToolCallRequest> toolCalls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            toolCalls.add(new ToolCallRequest(text(call.path("id")), text(call.path("function").path("name")),
                    arguments(call.path("function").path("arguments"))));
        }
        String finishReason = text(choice.path("finish_reason"));
        return new ChatCompletionOutput(text(message.path("content")), toolCalls,
                finishReason == null ? null : finishReason.toLowerCase(Locale.ROOT), usage(answer.path("usage")),
                text(answer.path("model")) != null ? text(answer.path("model")) : model);
    }

    static TokenUsage usage(JsonNode usage) {
        return new TokenUsage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0),
                usage.path("total_tokens").asLong(0));
    }

    static String imageRequest(String model, ImageGenerationInput input) {
        ObjectNode request = JSON.createObjectNode().put("model", model).put("prompt", input.prompt()).put("n", 1);
        if (input.size() != null && !input.size().isBlank()) {
            request.put("size", input.size());
        }
        return JSON.writeValueAsString(request);
    }

    static ImageGenerationOutput imageOutput(String provider, String body, String model) {
        List<String> urls = new ArrayList<>();
        String revisedPrompt = null;
        for (JsonNode image : JSON.readTree(body).path("data")) {
            if (text(image.path("url")) == null) {
                throw text(image.path("b64_json")) != null ? LlmFailures.base64Only(provider)
                        : LlmFailures.badRequest(provider + " returned an image without a URL");
            }
            urls.add(text(image.path("url")));
            revisedPrompt = revisedPrompt != null ? revisedPrompt : text(image.path("revised_prompt"));
        }
        return new ImageGenerationOutput(urls, revisedPrompt, model);
    }

    private static ObjectNode message(ChatMessage message) {
        ObjectNode node = JSON.createObjectNode().put("role", message.role()).put("content", message.content());
        if (!message.toolCalls().isEmpty()) {
            ArrayNode calls = node.putArray("tool_calls");
            for (ToolCallRequest call : message.toolCalls()) {
                ObjectNode function = calls.addObject().put("id", call.id()).put("type", "function")
                        .putObject("function");
                function.put("name", call.name()).put("arguments", call.argumentsJson());
            }
        }
        if (message.toolCallId() != null) {
            node.put("tool_call_id", message.toolCallId());
        }
        return node;
    }

    private static ObjectNode tool(ToolDefinition tool) {
        ObjectNode node = JSON.createObjectNode().put("type", "function");
        ObjectNode function = node.putObject("function").put("name", tool.name());
        if (tool.description() != null) {
            function.put("description", tool.description());
        }
        if (tool.parameters() != null) {
            function.set("parameters", JSON.valueToTree(tool.parameters()));
        }
        return node;
    }

    /**
     * The arguments as JSON text: some compatible servers send an object rather than a string, or nothing for a
     * function without parameters. Whether they are a JSON object is for the workflow to check.
     */
    private static String arguments(JsonNode arguments) {
        if (arguments.isMissingNode() || arguments.isNull()) {
            return ToolCallRequest.NO_ARGUMENTS;
        }
        return arguments.isString() ? arguments.stringValue() : JSON.writeValueAsString(arguments);
    }

    static String text(JsonNode node) {
        return node.isString() ? node.stringValue() : null;
    }
}
