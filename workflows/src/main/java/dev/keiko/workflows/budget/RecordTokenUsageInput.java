package dev.keiko.workflows.budget;

import dev.keiko.workflows.llm.TokenUsage;

/**
 * One model call's tokens.
 *
 * @param step the call's step number within the task; with the task id it makes the record unique
 * @param model the model or deployment that answered
 */
public record RecordTokenUsageInput(String taskId, int step, String model, TokenUsage usage) {
}
