package dev.keiko.activities.llm;

import dev.keiko.domain.llm.LlmProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of the tests against a fake provider: the LLM activities in Temporal's test environment, pointed at the fake. */
abstract class FakeProviderTest {

    LlmActivityEnvironment environment;

    /** The configuration that points the activities at the subclass's fake. */
    abstract LlmProperties properties();

    @BeforeEach
    void startEnvironment() {
        environment = new LlmActivityEnvironment(new LlmActivitiesImpl(properties()));
    }

    @AfterEach
    void closeEnvironment() {
        environment.close();
    }
}
