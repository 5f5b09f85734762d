package dev.keiko.bench.report;

import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * Latencies recorded in nanoseconds, at 3 significant digits, up to an hour; read in milliseconds. Thread-safe.
 */
public final class Latencies {

    private static final long HIGHEST = Duration.ofHours(1).toNanos();

    private final Histogram histogram = new Histogram(1_000, HIGHEST, 3);

    public synchronized void record(long nanos) {
        histogram.recordValue(Math.max(1_000, Math.min(nanos, HIGHEST)));
    }

    public void record(Duration duration) {
        record(duration.toNanos());
    }

    public synchronized long count() {
        return histogram.getTotalCount();
    }

    /** The value at {@code percentile} (0–100) in milliseconds; NaN when nothing was recorded. */
    public synchronized double percentileMillis(double percentile) {
        if (histogram.getTotalCount() == 0) {
            return Double.NaN;
        }
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    public synchronized double maxMillis() {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1e6;
    }

    public synchronized double meanMillis() {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMean() / 1e6;
    }

    /** Adds what {@code other} recorded. */
    public synchronized void add(Latencies other) {
        synchronized (other) {
            histogram.add(other.histogram);
        }
    }
}
