package dev.keiko.workflows.llm;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param step the call's number within its task, from 1: the activity reserves the call's tokens of the
 *     owner's daily budget and settles them, once per step and attempt; 0 for a call whose workflow
 *     accounts for its tokens itself (started before reservations)
 * @param promptEstimate the workflow's estimate of the prompt's tokens, reserved with the answer's cap
 * @param agentId the id of the agent the task was routed to, for metrics; null for a task outside any agent,
 *     and in calls of workflows from before it was passed on
 */
public record ChatCompletionInput(
        String taskId,
        String provider,
        String deployment,
        List<ChatMessage> messages,
        List<ToolDefinition> tools,
        Double temperature,
        Integer maxTokens,
        int step,
        long promptEstimate,
        // Left out when null, so that the calls of tasks outside any agent read as before.
        @JsonInclude(JsonInclude.Include.NON_NULL) String agentId) {

    public ChatCompletionInput {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    /** A call whose tokens its workflow accounts for itself: the activity reserves nothing. */
    public ChatCompletionInput(String taskId, String provider, String deployment, List<ChatMessage> messages,
            List<ToolDefinition> tools, Double temperature, Integer maxTokens) {
        this(taskId, provider, deployment, messages, tools, temperature, maxTokens, 0, 0, null);
    }

    /** A call of a task outside any agent. */
    public ChatCompletionInput(String taskId, String provider, String deployment, List<ChatMessage> messages,
            List<ToolDefinition> tools, Double temperature, Integer maxTokens, int step, long promptEstimate) {
        this(taskId, provider, deployment, messages, tools, temperature, maxTokens, step, promptEstimate, null);
    }

    /** Whether the activity charges the call to the task's owner (reserves before it and settles after). */
    public boolean chargesOwner() {
        return step > 0;
    }
}
