package io.pielock.limiter;

/**
 * How a {@link Limit} counts calls, chosen per limit ({@link Limit#of(long, TimeUnit, Algorithm)},
 * {@link Limit#withAlgorithm}, or {@code @RateLimited(algorithm = …)}); {@link #SLIDING_WINDOW} unless said
 * otherwise. One key may have limits of both algorithms (on different windows); a call passes only if all admit
 * it, and is counted by all or none.
 */
public enum Algorithm {

    /**
     * Exact sliding window (the default): at any instant, at most {@code count} calls were allowed in the
     * preceding {@code window}, also around what a fixed window would call its boundary. A store keeps the
     * times of up to {@code count} calls per key and window (8 bytes each on Redis, and only as many slots as
     * the calls inside the window have needed), so {@code count} is at most
     * {@link Limit#MAX_SLIDING_WINDOW_COUNT}.
     */
    SLIDING_WINDOW,

    /**
     * The generic cell rate algorithm: one number per key and window (its "theoretical arrival time"), so
     * memory and work are the same for every {@code count}. Not a sliding window: it refills smoothly, one call
     * every {@code window / count} (the interval, rounded up to the store's clock: 1 µs on Redis). What it
     * guarantees:
     * <ul>
     * <li>a key at rest admits a burst of {@code count} calls at once, and then one call per
     * {@code window / count};</li>
     * <li>in any span of time of length {@code L}, at most {@code count + floor(L / interval)} calls are
     * allowed; so in any window ({@code L < window}) at most {@code 2 × count - 1}, a bound that a full burst
     * followed by one call per interval reaches; over a long span, {@code count} per window plus one
     * burst;</li>
     * <li>a call taken back (a later key denied it) is given back only where that is exact: if no other call
     * was allowed since, or none could have been decided differently because of it; otherwise it stays counted
     * (towards denying).</li>
     * </ul>
     * Use it for large counts ({@code 1,000,000} a month) or many keys, where an exact window's memory
     * matters, and where smooth refill is what is wanted. {@code count} may be at most the window in
     * microseconds (at most one call per microsecond).
     */
    GCRA
}
