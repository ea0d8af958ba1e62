package io.pielock.benchmark.measure;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Admitted calls with their keys and client-side timestamps (call started, decision returned), and what they say
 * about a limiter's accuracy.
 */
public final class Admissions {

    /**
     * Client timestamps bracket the moment a limiter decided, but clocks, truncation to milliseconds and
     * scheduling blur it; an interval this much shorter than the window is what "certainly within one window"
     * is checked against.
     */
    public static final Duration TOLERANCE = Duration.ofMillis(1);

    private final long[] keys;

    private final long[] starts;

    private final long[] ends;

    Admissions(long[] keys, long[] starts, long[] ends) {
        this.keys = keys;
        this.starts = starts;
        this.ends = ends;
    }

    /** @return how many calls were admitted */
    public int size() {
        return this.keys.length;
    }

    /**
     * The accuracy figure: the most calls of one key whose decisions returned within any one window, sliding over
     * the return timestamps.
     * @param window the limit's window
     * @return that count
     */
    public long mostInAnyWindow(Duration window) {
        return mostWithin(window.toNanos(), this.ends, this.ends);
    }

    /**
     * The violation check: the most calls of one key that were certainly decided within less than
     * {@code window - }{@link #TOLERANCE}: the first one started and the last one returned inside that span.
     * @param window the limit's window
     * @return that count
     */
    public long mostCertainlyWithin(Duration window) {
        return mostWithin(window.minus(TOLERANCE).toNanos(), this.starts, this.ends);
    }

    /** Most calls of one key with {@code last end - first begin < span}, calls ordered by begin. */
    private long mostWithin(long span, long[] begins, long[] finishes) {
        Integer[] order = IntStream.range(0, size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> this.keys[i]).thenComparingLong(i -> begins[i]));
        long most = 0;
        int first = 0;
        while (first < order.length) {
            int end = first;
            while (end < order.length && this.keys[order[end]] == this.keys[order[first]]) {
                end++;
            }
            most = Math.max(most, mostWithinOneKey(order, first, end, span, begins, finishes));
            first = end;
        }
        return most;
    }

    private static long mostWithinOneKey(Integer[] order, int from, int to, long span, long[] begins,
            long[] finishes) {
        long longestCall = 0;
        for (int i = from; i < to; i++) {
            longestCall = Math.max(longestCall, finishes[order[i]] - begins[order[i]]);
        }
        long most = 0;
        int last = from;
        for (int first = from; first < to; first++) {
            long bound = begins[order[first]] + span;
            while (last < to && begins[order[last]] < bound) {
                last++;
            }
            // calls [first, last) began in time; drop those that returned too late (only the latest can have)
            long count = last - first;
            for (int k = last - 1; k >= first && begins[order[k]] >= bound - longestCall; k--) {
                if (finishes[order[k]] >= bound) {
                    count--;
                }
            }
            most = Math.max(most, count);
        }
        return most;
    }
}
