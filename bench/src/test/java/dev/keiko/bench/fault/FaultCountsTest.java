package dev.keiko.bench.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keiko.bench.report.Target;
import org.junit.jupiter.api.Test;

class FaultCountsTest {

    @Test
    void everyAcceptedTaskCompletedOrFailedAsExpectedHolds() {
        FaultCounts counts = tally(3, 1, 0, 0).counts(4, 2, false);

        assertThat(counts.holds()).isTrue();
        assertThat(counts.targets()).allMatch(Target::met);
    }

    @Test
    void aTaskGivenNoOutcomeDoesNotHold() {
        FaultCounts counts = tally(3, 0, 0, 0).counts(4, 0, false);

        assertThat(counts.unaccounted()).isEqualTo(1);
        assertThat(counts.holds()).isFalse();
        assertThat(counts.targets()).filteredOn(target -> !target.met()).extracting(Target::name)
                .containsExactly("tasks not accounted for");
    }

    @Test
    void aTaskCountedTwiceDoesNotHold() {
        FaultCounts counts = tally(5, 0, 0, 0).counts(4, 0, false);

        assertThat(counts.unaccounted()).isEqualTo(1);
        assertThat(counts.holds()).isFalse();
    }

    @Test
    void aWrongEndIsNotLostButDoesNotHold() {
        FaultCounts counts = tally(3, 0, 1, 0).counts(4, 0, false);

        assertThat(counts.lost()).isZero();
        assertThat(counts.holds()).isFalse();
        assertThat(counts.targets()).filteredOn(target -> !target.met()).extracting(Target::name)
                .containsExactly("tasks ended otherwise than expected");
    }

    @Test
    void aLostTaskOrAForbiddenDuplicateDoesNotHold() {
        assertThat(tally(3, 0, 0, 1).counts(4, 0, false).holds()).isFalse();
        assertThat(tally(4, 0, 0, 0).counts(4, 1, true).holds()).isFalse();
        assertThat(tally(4, 0, 0, 0).counts(4, 1, false).holds()).isTrue();
    }

    private static FaultCounts.Tally tally(int completed, int failedAsExpected, int endedOtherwise, int lost) {
        FaultCounts.Tally tally = new FaultCounts.Tally();
        for (int i = 0; i < completed; i++) {
            tally.completed();
        }
        for (int i = 0; i < failedAsExpected; i++) {
            tally.failedAsExpected();
        }
        for (int i = 0; i < endedOtherwise; i++) {
            tally.endedOtherwise();
        }
        for (int i = 0; i < lost; i++) {
            tally.lost();
        }
        return tally;
    }
}
