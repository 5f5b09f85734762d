package dev.keiko.bench.fault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The short version of {@link ModelFaultsScenario}: 12 completion tasks meeting 429s, 500s and slow answers, and two
 * refused 400 and 401, on the fault tests' shared system.
 */
class ModelFaultsTest {

    @Test
    void everyTaskCompletesRetriesWaitForRetryAfterAndRefusalsAreNotRetried() {
        ModelFaultsScenario.Outcome outcome = new ModelFaultsScenario(12, 2).measure(SharedBenchSystem.get());

        assertThat(outcome.unexpected()).isEmpty();
        assertThat(outcome.counts().holds()).isTrue();
        assertThat(outcome.refusedAtSubmission()).isZero();
        assertThat(outcome.counts().completed()).isEqualTo(12);
        assertThat(outcome.counts().failedAsExpected()).isEqualTo(2);
        assertThat(outcome.rateLimited()).as("the fake answered 429 at least once").isPositive();
        assertThat(outcome.serverErrors()).as("the fake answered 500 at least once").isPositive();
        assertThat(outcome.slowAnswers()).as("an answer came later than keiko.llm.response-timeout").isPositive();
        assertThat(outcome.earlyRetries()).isZero();
        assertThat(outcome.shortestWaitMillis())
                .isGreaterThanOrEqualTo(ModelFaultsScenario.RETRY_AFTER_SECONDS * 1000.0);
        assertThat(outcome.requestsAfterRefusal()).isZero();
        assertThat(outcome.counts().duplicated()).isZero();
    }
}
