package dev.keiko.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void samplesInterpolateBetweenRanks() {
        assertThat(Samples.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Samples.median(List.of(21.0, 19.0, 30.0))).isEqualTo(21.0);
        assertThat(Samples.percentile(List.of(1.0, 2.0, 3.0, 4.0, 5.0), 95)).isCloseTo(4.8, within(1e-9));
        assertThat(Samples.percentile(List.of(7.0), 99)).isEqualTo(7.0);
        assertThat(Samples.median(List.of())).isNaN();
        assertThat(Samples.max(List.of(1.0, 9.0, 3.0))).isEqualTo(9.0);
    }

    @Test
    void latenciesReadPercentilesInMillisecondsWithinTheHistogramsPrecision() {
        Latencies latencies = new Latencies();
        for (int millis = 1; millis <= 1000; millis++) {
            latencies.record(millis * 1_000_000L);
        }
        assertThat(latencies.count()).isEqualTo(1000);
        assertThat(latencies.percentileMillis(50)).isCloseTo(500, within(1.0));
        assertThat(latencies.percentileMillis(95)).isCloseTo(950, within(1.0));
        assertThat(latencies.percentileMillis(99)).isCloseTo(990, within(1.0));
        assertThat(latencies.maxMillis()).isCloseTo(1000, within(1.0));
    }

    @Test
    void latenciesAddUpAndSayWhenEmpty() {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        a.record(10_000_000L);
        b.record(30_000_000L);
        a.add(b);
        assertThat(a.count()).isEqualTo(2);
        assertThat(a.maxMillis()).isCloseTo(30, within(0.1));
        assertThat(new Latencies().percentileMillis(50)).isNaN();
    }
}
