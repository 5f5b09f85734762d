package dev.keiko.bench.report;

import java.util.Arrays;
import java.util.Collection;

/** Exact order statistics of a few samples (start-up runs, sequential wall times), by linear interpolation. */
public final class Samples {

    private Samples() {
    }

    /** The median of {@code values}; NaN when there are none. */
    public static double median(Collection<Double> values) {
        return percentile(values, 50);
    }

    /**
     * The value at {@code percentile} (0–100), interpolated between the two nearest ranks as spreadsheets do
     * (the median of 1, 2, 3, 4 is 2.5); NaN when there are none.
     */
    public static double percentile(Collection<Double> values, double percentile) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be within 0-100: " + percentile);
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        double rank = percentile / 100 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = (int) Math.ceil(rank);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }

    public static double max(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    public static double min(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }
}
