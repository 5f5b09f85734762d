package dev.keiko.activities.llm;

import dev.keiko.activities.ActivityEnvironment;
import dev.keiko.workflows.llm.LlmActivities;
import java.time.Duration;

/** The LLM activities under Temporal's test environment, with the workflows' 2 minute timeout. */
final class LlmActivityEnvironment extends ActivityEnvironment<LlmActivities> {

    LlmActivityEnvironment(LlmActivities implementation) {
        super(LlmActivities.class, implementation, Duration.ofMinutes(2));
    }
}
