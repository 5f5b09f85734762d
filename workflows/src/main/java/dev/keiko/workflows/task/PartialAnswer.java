package dev.keiko.workflows.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keiko.workflows.llm.TokenUsage;
import java.util.List;

/**
 * What a cancelled task keeps of the model call its cancel cut short, stored as the task's result data.
 *
 * @param partialText the text the model had written when the call stopped; empty when it had written none
 * @param usage the tokens the task spent, the cut-short call's included (for an agent, its earlier calls' too)
 * @param steps an agent's steps, the cut-short call last; left out for other task types
 */
public record PartialAnswer(
        String partialText,
        TokenUsage usage,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<AgentStep> steps) {

    public PartialAnswer {
        partialText = partialText == null ? "" : partialText;
        steps = List.copyOf(steps);
    }
}
