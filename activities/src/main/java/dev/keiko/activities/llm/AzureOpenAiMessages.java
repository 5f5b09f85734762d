package dev.keiko.activities.llm;

import com.azure.ai.openai.models.ChatChoice;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsFunctionToolCall;
import com.azure.ai.openai.models.ChatCompletionsFunctionToolDefinition;
import com.azure.ai.openai.models.ChatCompletionsFunctionToolDefinitionFunction;
import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.ai.openai.models.ChatCompletionsToolCall;
import com.azure.ai.openai.models.ChatCompletionsToolDefinition;
import com.azure.ai.openai.models.ChatRequestAssistantMessage;
import com.azure.ai.openai.models.ChatRequestMessage;
import com.azure.ai.openai.models.ChatRequestSystemMessage;
import com.azure.ai.openai.models.ChatRequestToolMessage;
import com.azure.ai.openai.models.ChatRequestUserMessage;
import com.azure.ai.openai.models.ChatResponseMessage;
import com.azure.ai.openai.models.CompletionsUsage;
import com.azure.ai.openai.models.FunctionCall;
import com.azure.core.util.BinaryData;
import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.ChatMessage;
import dev.keiko.workflows.llm.TokenUsage;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.llm.ToolDefinition;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Converts Keiko's chat records to the Azure SDK's types and back. */
final class AzureOpenAiMessages {

    private static final JsonMapper JSON = JsonMapper.shared();

    private AzureOpenAiMessages() {
    }

    static ChatCompletionsOptions options(ChatCompletionInput input) {
        ChatCompletionsOptions options = new ChatCompletionsOptions(
                input.messages().stream().map(AzureOpenAiMessages::message).toList());
        if (!input.tools().isEmpty()) {
            options.setTools(input.tools().stream().map(AzureOpenAiMessages::tool).toList());
        }
        return options.setTemperature(input.temperature()).setMaxTokens(input.maxTokens());
    }

    /** The options as a streaming request's body, asking for a last chunk with the usage. */
    static BinaryData streamingRequest(ChatCompletionInput input) {
        ObjectNode request = (ObjectNode) JSON.readTree(BinaryData.fromObject(options(input)).toString());
        return BinaryData.fromString(JSON.writeValueAsString(OpenAiJson.streaming(request)));
    }

    static ChatCompletionOutput output(ChatCompletions completions, String deployment) {
        String model = completions.getModel() != null ? completions.getModel() : deployment;
        TokenUsage usage = usage(completions.getUsage());
        if (completions.getChoices() == null || completions.getChoices().isEmpty()) {
            return new ChatCompletionOutput(null, List.of(), null, usage, model);
        }
        ChatChoice choice = completions.getChoices().getFirst();
        ChatResponseMessage message = choice.getMessage();
        String finishReason = choice.getFinishReason() == null ? null
                : choice.getFinishReason().toString().toLowerCase(Locale.ROOT);
        return new ChatCompletionOutput(message == null ? null : message.getContent(),
                message == null ? List.of() : toolCalls(message.getToolCalls()), finishReason, usage, model);
    }

    private static ChatRequestMessage message(ChatMessage message) {
        return switch (message.role()) {
            case "system" -> new ChatRequestSystemMessage(message.content());
            case "user" -> new ChatRequestUserMessage(message.content());
            case "assistant" -> assistant(message);
            case "tool" -> new ChatRequestToolMessage(message.content(), message.toolCallId());
            default -> throw LlmFailures.badRequest("Unknown chat message role '" + message.role()
                    + "': use system, user, assistant or tool");
        };
    }

    private static ChatRequestAssistantMessage assistant(ChatMessage message) {
        ChatRequestAssistantMessage assistant = new ChatRequestAssistantMessage(message.content());
        if (!message.toolCalls().isEmpty()) {
            assistant.setToolCalls(message.toolCalls().stream()
                    .<ChatCompletionsToolCall>map(call -> new ChatCompletionsFunctionToolCall(call.id(),
                            new FunctionCall(call.name(), call.argumentsJson())))
                    .toList());
        }
        return assistant;
    }

    private static ChatCompletionsToolDefinition tool(ToolDefinition tool) {
        ChatCompletionsFunctionToolDefinitionFunction function =
                new ChatCompletionsFunctionToolDefinitionFunction(tool.name()).setDescription(tool.description());
        if (tool.parameters() != null) {
            function.setParameters(BinaryData.fromString(JSON.writeValueAsString(tool.parameters())));
        }
        return new ChatCompletionsFunctionToolDefinition(function);
    }

    private static List<ToolCallRequest> toolCalls(List<ChatCompletionsToolCall> calls) {
        if (calls == null) {
            return List.of();
        }
        return calls.stream()
                .filter(ChatCompletionsFunctionToolCall.class::isInstance)
                .map(ChatCompletionsFunctionToolCall.class::cast)
                .map(call -> call.getFunction() == null
                        ? new ToolCallRequest(call.getId(), null, ToolCallRequest.NO_ARGUMENTS)
                        : new ToolCallRequest(call.getId(), call.getFunction().getName(),
                                call.getFunction().getArguments() == null ? ToolCallRequest.NO_ARGUMENTS
                                        : call.getFunction().getArguments()))
                .toList();
    }

    private static TokenUsage usage(CompletionsUsage usage) {
        return usage == null ? TokenUsage.NONE
                : new TokenUsage(usage.getPromptTokens(), usage.getCompletionTokens(), usage.getTotalTokens());
    }
}
