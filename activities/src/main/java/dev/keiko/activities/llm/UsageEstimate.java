package dev.keiko.activities.llm;

import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatMessage;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.llm.ToolDefinition;

/**
 * Tokens counted the way the workflow's budget estimates them, about four characters a token, for calls whose
 * provider reported no usage; chat models add a few tokens per message and for priming the reply.
 */
final class UsageEstimate {

    private static final int CHARACTERS_PER_TOKEN = 4;
    private static final int TOKENS_PER_MESSAGE = 4;
    private static final int REPLY_PRIMING_TOKENS = 3;

    private UsageEstimate() {
    }

    static long tokens(long characters) {
        return (characters + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN;
    }

    /** The prompt's tokens: the workflow's estimate when it made one, else one from the call's text. */
    static long prompt(ChatCompletionInput call) {
        long text = call.promptEstimate() > 0 ? call.promptEstimate() : tokens(characters(call));
        return text + TOKENS_PER_MESSAGE * (long) call.messages().size() + REPLY_PRIMING_TOKENS;
    }

    private static long characters(ChatCompletionInput call) {
        long characters = 0;
        for (ChatMessage message : call.messages()) {
            characters += message.content() == null ? 0 : message.content().length();
            for (ToolCallRequest toolCall : message.toolCalls()) {
                characters += (toolCall.name() == null ? 0 : toolCall.name().length())
                        + (toolCall.argumentsJson() == null ? 0 : toolCall.argumentsJson().length());
            }
        }
        for (ToolDefinition tool : call.tools()) {
            characters += tool.name().length() + (tool.description() == null ? 0 : tool.description().length())
                    + String.valueOf(tool.parameters()).length();
        }
        return characters;
    }
}
