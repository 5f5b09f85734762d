package dev.keiko.bench.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The short version of {@link DatabaseOutageScenario}: PostgreSQL down for 6 s while a task is submitted every
 * 250 ms, on the fault tests' shared system.
 */
class DatabaseOutageTest {

    @Test
    void theApiAnswers503WhileDownAndNoAcceptedTaskIsLost() {
        DatabaseOutageScenario.Outcome outcome = new DatabaseOutageScenario(Duration.ofSeconds(6),
                Duration.ofMillis(250)).measure(SharedBenchSystem.get());
        ApiAnswers answers = outcome.answers();

        assertThat(outcome.unexpected()).isEmpty();
        assertThat(outcome.counts().holds()).isTrue();
        assertThat(outcome.counts().submitted()).as("tasks accepted before and after the outage").isGreaterThan(4);
        assertThat(answers.total(ApiAnswers.OTHER_5XX, null)).as(answers.all().toString()).isZero();
        assertThat(answers.total(ApiAnswers.UNAVAILABLE_NOT_PROBLEM, null)).isZero();
        for (String endpoint : new String[] {DatabaseOutageScenario.SUBMIT, DatabaseOutageScenario.READ,
                DatabaseOutageScenario.LIST, DatabaseOutageScenario.LOGIN}) {
            assertThat(answers.of(endpoint, true, ApiAnswers.UNAVAILABLE))
                    .as(endpoint + " while down: " + answers.all()).isPositive();
            assertThat(answers.of(endpoint, true, ApiAnswers.OK)).as(endpoint + " while down").isZero();
            assertThat(answers.of(endpoint, false, ApiAnswers.OK)).as(endpoint + " while up").isPositive();
        }
        assertThat(outcome.storedBeyondAccepted()).isZero();
    }
}
