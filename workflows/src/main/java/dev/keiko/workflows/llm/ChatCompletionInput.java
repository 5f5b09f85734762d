package dev.keiko.workflows.llm;

import java.util.List;

/**
 * One chat completion request.
 *
 * @param taskId the task the call belongs to
 * @param provider {@code azure} or {@code openai}; null for the configured default
 * @param deployment the Azure deployment or the model name; null for the provider's default
 * @param messages the chat so far
 * @param tools the tools the model may call; empty for none
 * @param temperature sampling temperature, or null for the provider's default
 * @param maxTokens the most tokens the answer may use, or null for no limit
 */
public record ChatCompletionInput(
        String taskId,
        String provider,
        String deployment,
        List<ChatMessage> messages,
        List<ToolDefinition> tools,
        Double temperature,
        Integer maxTokens) {

    public ChatCompletionInput {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}
