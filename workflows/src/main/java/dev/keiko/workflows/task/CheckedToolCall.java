package dev.keiko.workflows.task;

import dev.keiko.workflows.llm.ToolCallRequest;

/**
 * One tool call of a model's answer after the workflow checked it.
 *
 * @param request the call as it goes back to the model in the assistant message: a missing or repeated id
 *     replaced by one the workflow made, missing arguments as {@code {}}
 * @param approvalId the id a person decides the call by: {@code step<model call>-<tool call>}, unique in the task
 * @param refusal what the model is told instead of running the call; empty when the call may run
 */
record CheckedToolCall(ToolCallRequest request, String approvalId, String refusal) {

    boolean refused() {
        return !refusal.isEmpty();
    }
}
