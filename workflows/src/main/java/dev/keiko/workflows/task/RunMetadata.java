package dev.keiko.workflows.task;

import dev.keiko.workflows.llm.TokenUsage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run reports about itself, stored in {@link TaskResult#metadata()} under the same keys as ever.
 *
 * @param step the step of a one-step task; null for an agent, whose steps say it
 * @param model the model that answered; null before it answered
 * @param tokens the tokens spent; null before the first model call
 * @param steps an agent's steps; empty for other types
 */
record RunMetadata(String step, String model, TokenUsage tokens, List<AgentStep> steps) {

    static final RunMetadata NONE = new RunMetadata(null, null, null, List.of());

    RunMetadata {
        steps = List.copyOf(steps);
    }

    /** The result's metadata entries, in the order they have always been written. */
    Map<String, Object> entries() {
        Map<String, Object> entries = new LinkedHashMap<>();
        if (step != null) {
            entries.put("step", step);
        }
        if (model != null) {
            entries.put("model", model);
        }
        if (tokens != null) {
            Map<String, Object> totals = new LinkedHashMap<>();
            totals.put("prompt", tokens.promptTokens());
            totals.put("completion", tokens.completionTokens());
            totals.put("total", tokens.totalTokens());
            entries.put("tokens", totals);
        }
        if (!steps.isEmpty()) {
            entries.put("steps", steps);
        }
        return entries;
    }
}
