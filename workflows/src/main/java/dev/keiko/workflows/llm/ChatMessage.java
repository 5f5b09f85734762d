package dev.keiko.workflows.llm;

import java.util.List;

/**
 * One message of a chat.
 *
 * @param role system, user, assistant or tool
 * @param content the text; may be null for an assistant message that only calls tools
 * @param toolCalls the tools an assistant message calls; empty otherwise
 * @param toolCallId for a tool message, the call it answers
 */
public record ChatMessage(String role, String content, List<ToolCallRequest> toolCalls, String toolCallId) {

    public ChatMessage {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content, List.of(), null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content, List.of(), null);
    }

    public static ChatMessage tool(String toolCallId, String content) {
        return new ChatMessage("tool", content, List.of(), toolCallId);
    }
}
