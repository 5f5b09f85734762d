package dev.keiko.workflows.llm;

import java.util.List;

/**
 * What the model answered.
 *
 * @param content the answer's text; may be null when it only calls tools
 * @param toolCalls the tools it asked to call, in order; empty for none
 * @param finishReason why it stopped: stop, length, tool_calls, content_filter
 * @param usage the tokens the call used
 * @param model the model or deployment that answered
 */
public record ChatCompletionOutput(
        String content, List<ToolCallRequest> toolCalls, String finishReason, TokenUsage usage, String model) {

    public ChatCompletionOutput {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }
}
