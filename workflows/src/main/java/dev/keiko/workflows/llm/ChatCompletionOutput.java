package dev.keiko.workflows.llm;

import java.util.List;

/**
 * What the model answered.
 *
 * @param content the answer's text; may be null when it only calls tools
 * @param toolCalls the tools it asked to call, in order; empty for none
 * @param finishReason why it stopped: stop, length, tool_calls, content_filter; {@value #CANCELLED} when its
 *     activity was cancelled mid-answer, which then holds the text that arrived and no tool calls
 * @param usage the tokens the call used
 * @param model the model or deployment that answered
 */
public record ChatCompletionOutput(
        String content, List<ToolCallRequest> toolCalls, String finishReason, TokenUsage usage, String model) {

    /** The finish reason of an answer cut short by the cancellation of its activity. */
    public static final String CANCELLED = "cancelled";

    public ChatCompletionOutput {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }
}
