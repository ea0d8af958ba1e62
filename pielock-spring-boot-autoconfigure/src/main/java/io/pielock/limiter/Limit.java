package io.pielock.limiter;

import java.time.Duration;

/**
 * At most {@code count} calls per {@code window}, counted by an {@link Algorithm}: by default an exact sliding
 * window ({@link Algorithm#SLIDING_WINDOW}), or {@link Algorithm#GCRA} in constant memory. Validated when built,
 * so a bad limit fails where it is written.
 * <pre>{@code
 * Limit.of(2, TimeUnit.SECOND)                                 // at most 2 in any second
 * Limit.of(2, TimeUnit.SECOND).withAlgorithm(Algorithm.GCRA)    // 2 at once, then one every 500 ms
 * Limit.of(5_000_000, TimeUnit.MONTH, Algorithm.GCRA)           // one number per key, whatever the count
 * }</pre>
 *
 * @param count how many calls the window admits: at least 1; for a sliding window at most
 *        {@link #MAX_SLIDING_WINDOW_COUNT}, for GCRA at most one per microsecond of the window
 * @param window how far back calls are counted: a whole number of milliseconds, from 1 ms to
 *        {@link #MAX_WINDOW}
 * @param algorithm how calls are counted
 */
public record Limit(long count, Duration window, Algorithm algorithm) {

    /**
     * The largest count of an exact sliding window: a store keeps up to this many timestamps per key and window
     * (8 MB on Redis). Larger counts need {@link Algorithm#GCRA}.
     */
    public static final long MAX_SLIDING_WINDOW_COUNT = 1_000_000;

    /**
     * The longest window: 100 years of 365 days. Stores count in microseconds, and Redis scripts in doubles,
     * which are exact up to 2<sup>53</sup>.
     */
    public static final Duration MAX_WINDOW = Duration.ofDays(36_500);

    /**
     * @param count how many calls the window admits
     * @param window how far back calls are counted (whole milliseconds, from 1 ms to {@link #MAX_WINDOW})
     * @param algorithm how calls are counted
     * @throws IllegalArgumentException if {@code count} is not positive or too large for the algorithm, or the
     *         window is under 1 ms, over {@link #MAX_WINDOW} or not a whole number of milliseconds
     */
    public Limit {
        if (count <= 0) {
            throw new IllegalArgumentException("Rate limit count must be at least 1, but was " + count);
        }
        if (window == null) {
            throw new IllegalArgumentException("Rate limit window must not be null");
        }
        if (algorithm == null) {
            throw new IllegalArgumentException("Rate limit algorithm must not be null");
        }
        if (window.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("Rate limit window must be at least 1ms, but was " + window);
        }
        if (window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("Rate limit window must be at most " + describe(MAX_WINDOW)
                    + " (100 years), but was " + window);
        }
        if (window.toNanosPart() % 1_000_000 != 0) {
            // stores count in milliseconds; rounding would quietly change the limit
            throw new IllegalArgumentException(
                    "Rate limit window must be a whole number of milliseconds, but was " + window);
        }
        if (algorithm == Algorithm.SLIDING_WINDOW && count > MAX_SLIDING_WINDOW_COUNT) {
            throw new IllegalArgumentException("Rate limit count of a sliding window must be at most "
                    + MAX_SLIDING_WINDOW_COUNT + " (a store keeps one timestamp per call in the window), but was "
                    + count + " per " + describe(window) + "; Algorithm.GCRA keeps one number per key, for any count");
        }
        if (algorithm == Algorithm.GCRA && count > window.toMillis() * 1000) {
            throw new IllegalArgumentException("Rate limit count of GCRA must be at most one per microsecond of the "
                    + "window (" + window.toMillis() * 1000 + " per " + describe(window) + "), but was " + count);
        }
    }

    /**
     * An exact sliding window ({@link Algorithm#SLIDING_WINDOW}).
     * @param count how many calls the window admits (at least 1, at most {@link #MAX_SLIDING_WINDOW_COUNT})
     * @param window how far back calls are counted (whole milliseconds, from 1 ms to {@link #MAX_WINDOW})
     * @throws IllegalArgumentException if {@code count} or {@code window} is out of range
     */
    public Limit(long count, Duration window) {
        this(count, window, Algorithm.SLIDING_WINDOW);
    }

    /**
     * @param count how many calls each unit admits
     * @param per the window
     * @return an exact sliding window of {@code count} calls per {@code per}
     * @throws IllegalArgumentException if {@code count} is not positive or over
     *         {@link #MAX_SLIDING_WINDOW_COUNT}
     */
    public static Limit of(long count, TimeUnit per) {
        if (per == null) {
            throw new IllegalArgumentException("Rate limit unit (per) must not be null");
        }
        return new Limit(count, per.duration());
    }

    /**
     * @param count how many calls the window admits
     * @param window how far back calls are counted
     * @return an exact sliding window of {@code count} calls per {@code window}
     * @throws IllegalArgumentException if {@code count} or {@code window} is out of range
     */
    public static Limit of(long count, Duration window) {
        return new Limit(count, window);
    }

    /**
     * @param count how many calls each unit admits
     * @param per the window
     * @param algorithm how calls are counted
     * @return {@code count} calls per {@code per}, counted by {@code algorithm}
     * @throws IllegalArgumentException if {@code count} is not positive or too large for the algorithm
     */
    public static Limit of(long count, TimeUnit per, Algorithm algorithm) {
        if (per == null) {
            throw new IllegalArgumentException("Rate limit unit (per) must not be null");
        }
        return new Limit(count, per.duration(), algorithm);
    }

    /**
     * @param count how many calls the window admits
     * @param window how far back calls are counted
     * @param algorithm how calls are counted
     * @return {@code count} calls per {@code window}, counted by {@code algorithm}
     * @throws IllegalArgumentException if {@code count} or {@code window} is out of range for the algorithm
     */
    public static Limit of(long count, Duration window, Algorithm algorithm) {
        return new Limit(count, window, algorithm);
    }

    /**
     * @param algorithm how calls are counted
     * @return this limit, counted by {@code algorithm}
     * @throws IllegalArgumentException if the count is too large for the algorithm
     */
    public Limit withAlgorithm(Algorithm algorithm) {
        return (algorithm == this.algorithm) ? this : new Limit(this.count, this.window, algorithm);
    }

    /** @return for example {@code "2 per 1s"}, or {@code "2 per 1s, GCRA"} */
    @Override
    public String toString() {
        String text = this.count + " per " + describe(this.window);
        return (this.algorithm == Algorithm.SLIDING_WINDOW) ? text : text + ", " + this.algorithm;
    }

    /**
     * @param duration a duration
     * @return short text in the largest unit that divides it: {@code 30d}, {@code 1h}, {@code 90s}, {@code 250ms}
     */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0 || millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return (seconds % 60 == 0) ? seconds / 60 + "m" : seconds + "s";
    }
}
