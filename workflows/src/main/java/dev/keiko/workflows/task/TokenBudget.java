package dev.keiko.workflows.task;

import dev.keiko.workflows.llm.ChatMessage;
import dev.keiko.workflows.llm.TokenUsage;
import dev.keiko.workflows.llm.ToolCallRequest;
import dev.keiko.workflows.llm.ToolDefinition;
import java.util.List;

/**
 * Keeps a task inside its token budget: before each model call it estimates the prompt (the previous
 * call's prompt tokens plus about four characters a token for what was added since) and refuses the
 * call when that prompt could overrun what is left; otherwise it caps the answer at what remains.
 */
final class TokenBudget {

    private static final int CHARACTERS_PER_TOKEN = 4;
    static final int MIN_ANSWER_TOKENS = 16;

    private TokenBudget() {
    }

    /** The answer's token cap for the next call, or null without a budget; throws when the call could overrun. */
    static Integer completionCap(Long budget, TokenUsage spent, long promptEstimate) {
        if (budget == null) {
            return null;
        }
        long remaining = budget - spent.totalTokens() - promptEstimate;
        if (remaining < MIN_ANSWER_TOKENS) {
            throw new TaskFailedException(TaskErrorTypes.BUDGET_EXCEEDED, "The next model call could overrun the"
                    + " task's budget of " + budget + " tokens (" + spent.totalTokens() + " spent); it was not made");
        }
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    static long estimate(List<ChatMessage> messages, List<ToolDefinition> tools) {
        long characters = 0;
        for (ChatMessage message : messages) {
            characters += message.content() == null ? 0 : message.content().length();
            for (ToolCallRequest call : message.toolCalls()) {
                characters += (call.name() == null ? 0 : call.name().length())
                        + (call.argumentsJson() == null ? 0 : call.argumentsJson().length());
            }
        }
        for (ToolDefinition tool : tools) {
            characters += tool.name().length() + (tool.description() == null ? 0 : tool.description().length())
                    + String.valueOf(tool.parameters()).length();
        }
        return (characters + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN;
    }
}
