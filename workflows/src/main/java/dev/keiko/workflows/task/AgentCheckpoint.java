package dev.keiko.workflows.task;

import dev.keiko.workflows.llm.ChatMessage;
import dev.keiko.workflows.llm.TokenUsage;
import java.util.List;

/**
 * Where a long agent task picks up in a new run of its workflow, after it continued as new to keep
 * each run's history small.
 *
 * @param startedAtMillis when the task started running, in workflow time: its timeout and execution time count from here
 * @param nextCall the number of the next model call, from 1
 * @param messages the conversation so far
 * @param steps the steps taken so far
 * @param tokens the tokens spent so far
 * @param contextTokens the last model call's prompt and answer tokens
 * @param lastMessageCount how many messages the last model call was sent
 */
public record AgentCheckpoint(
        long startedAtMillis,
        int nextCall,
        List<ChatMessage> messages,
        List<AgentStep> steps,
        TokenUsage tokens,
        long contextTokens,
        int lastMessageCount) {

    public AgentCheckpoint {
        messages = List.copyOf(messages);
        steps = List.copyOf(steps);
    }
}
