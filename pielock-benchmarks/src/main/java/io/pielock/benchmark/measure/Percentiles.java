package io.pielock.benchmark.measure;

import java.util.Arrays;

/** Nearest-rank percentiles and medians. */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * @param values any order; not changed
     * @param percent 0 to 100
     * @return the nearest-rank percentile, or NaN when there are no values
     */
    public static double of(long[] values, double percent) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * @param values any order, NaN values ignored
     * @return their median (the mean of the middle two for an even count), or NaN when there are none
     */
    public static double median(double[] values) {
        double[] sorted = Arrays.stream(values).filter(value -> !Double.isNaN(value)).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
