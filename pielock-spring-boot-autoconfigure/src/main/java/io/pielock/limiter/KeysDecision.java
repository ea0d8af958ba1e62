package io.pielock.limiter;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

import org.apache.commons.logging.Log;

/**
 * One call's decision over its keys, as {@link Limiter} and {@link ReactiveLimiter} both make it (they differ only
 * in how they wait for the store): the argument checks, what earlier keys recorded (to take back when a later key
 * denies), the tightest window of an allowed call, and the window a denial reports. Not thread-safe: one call's
 * keys are decided one after another.
 */
final class KeysDecision {

    private final List<KeyedLimits> keys;

    /** What each key's call takes, by position. */
    private final long[] costs;

    /** What earlier keys recorded, to take back if a later key denies; only several keys need it. */
    private final LimitAttempt[] recorded;

    private String tightestKey;

    private WindowState tightest;

    /**
     * @param keys the checked keys ({@link #check})
     */
    KeysDecision(List<KeyedLimits> keys) {
        this(keys, 1);
    }

    /**
     * @param keys the checked keys ({@link #check})
     * @param cost the call's checked cost ({@link #check(List, String, long)})
     */
    KeysDecision(List<KeyedLimits> keys, long cost) {
        this(keys, sameCost(keys.size(), cost));
    }

    /**
     * @param keys the checked keys ({@link #check(List, String, List)})
     * @param costs the checked cost of the call for each key, by position
     */
    KeysDecision(List<KeyedLimits> keys, List<Long> costs) {
        this(keys, costs.stream().mapToLong(Long::longValue).toArray());
    }

    private KeysDecision(List<KeyedLimits> keys, long[] costs) {
        this.keys = keys;
        this.costs = costs;
        this.recorded = (keys.size() > 1) ? new LimitAttempt[keys.size()] : null;
    }

    /**
     * @param keys the keys of one call
     * @param name what is limited
     * @throws IllegalArgumentException if there are no keys, a key is given twice, or the name is blank
     */
    static void check(List<KeyedLimits> keys, String name) {
        if (keys == null) {
            throw new IllegalArgumentException("Rate limit keys must not be null");
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("At least one rate limit key is needed");
        }
        if (keys.size() > 1) {
            Set<String> seen = new HashSet<>();
            for (KeyedLimits keyed : keys) {
                if (!seen.add(keyed.key())) {
                    throw new IllegalArgumentException("Rate limit key: " + keyed.key()
                            + " is given twice; give all its limits in one KeyedLimits");
                }
            }
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Rate limit name must not be null or blank, but was '" + name + "'");
        }
    }

    /**
     * As {@link #check(List, String)}, and the cost.
     * @param keys the keys of one call
     * @param name what is limited
     * @param cost how many permits the call takes
     * @throws IllegalArgumentException as {@link #check(List, String)}, or if the cost is under 1
     */
    static void check(List<KeyedLimits> keys, String name, long cost) {
        check(keys, name);
        if (cost < 1) {
            throw new IllegalArgumentException("Rate limit cost must be at least 1, but was " + cost + " for key: "
                    + keys.get(0).key() + " (" + name + ")");
        }
    }

    /**
     * As {@link #check(List, String)}, and a cost for each key.
     * @param keys the keys of one call
     * @param name what is limited
     * @param costs how many permits the call takes from each key, by position
     * @throws IllegalArgumentException as {@link #check(List, String)}, or if there is not one cost per key or a
     *         cost is under 1
     */
    static void check(List<KeyedLimits> keys, String name, List<Long> costs) {
        check(keys, name);
        if (costs == null || costs.size() != keys.size()) {
            throw new IllegalArgumentException("Rate limit costs must be one per key (" + keys.size() + " keys: "
                    + keys.get(0).key() + "...), but were " + costs + " (" + name + ")");
        }
        for (int i = 0; i < costs.size(); i++) {
            Long cost = costs.get(i);
            if (cost == null || cost < 1) {
                throw new IllegalArgumentException("Rate limit cost must be at least 1, but was " + cost
                        + " for key: " + keys.get(i).key() + " (" + name + ")");
            }
        }
    }

    private static long[] sameCost(int keys, long cost) {
        long[] costs = new long[keys];
        Arrays.fill(costs, cost);
        return costs;
    }

    /**
     * A call costing more than a limit's count can never pass, whatever the window holds: denied without asking
     * the store (whose decision would be the same, after a round trip).
     * @return the denial naming the first such limit, or {@code null} if every limit could admit the call
     */
    LimitResult neverPasses() {
        for (int i = 0; i < this.keys.size(); i++) {
            if (this.costs[i] == 1) {
                continue;
            }
            KeyedLimits keyed = this.keys.get(i);
            for (Limit limit : keyed.limits()) {
                if (this.costs[i] > limit.count()) {
                    return LimitResult.neverPasses(keyed.key(), limit, this.costs[i]);
                }
            }
        }
        return null;
    }

    /**
     * @param index the key's position
     * @return how many permits the call takes from that key
     */
    long cost(int index) {
        return this.costs[index];
    }

    /** @return how many keys the call has */
    int size() {
        return this.keys.size();
    }

    /** @return the key decided at {@code index} */
    KeyedLimits key(int index) {
        return this.keys.get(index);
    }

    /**
     * Keeps what key {@code index} recorded for the call (it admitted it).
     * @param index the key's position
     * @param attempt the store's answer, allowed
     */
    void admitted(int index, LimitAttempt attempt) {
        if (this.recorded != null) {
            this.recorded[index] = attempt;
        }
        for (WindowState window : attempt.windows()) {
            if (this.tightest == null || window.remaining() < this.tightest.remaining()) {
                this.tightest = window;
                this.tightestKey = this.keys.get(index).key();
            }
        }
    }

    /** @return the allowed call's result: the window with the fewest calls left, over all keys */
    LimitResult allowed() {
        return LimitResult.allowed(this.tightestKey, this.tightest.limit(), this.tightest.remaining());
    }

    /**
     * Hands each key before {@code until} with what it recorded to {@code refund}, in order.
     * @param until the position of the key that denied (or failed)
     * @param refund takes the call back from one key
     */
    void forEachToTakeBack(int until, BiConsumer<KeyedLimits, LimitAttempt> refund) {
        for (int i = 0; i < until; i++) {
            refund.accept(this.keys.get(i), this.recorded[i]);
        }
    }

    /**
     * @param key the key that denied the call
     * @param attempt its store's answer (denied)
     * @return the denial, reporting the exhausted window that frees a call last
     */
    static LimitResult denied(String key, LimitAttempt attempt) {
        WindowState longest = null;
        for (WindowState window : attempt.windows()) {
            if (!window.hadRoom() && (longest == null || window.retryAfter().compareTo(longest.retryAfter()) > 0)) {
                longest = window;
            }
        }
        if (longest == null) {
            throw new IllegalStateException("Rate limit store denied key: " + key
                    + " but reported room in every window: " + attempt.windows());
        }
        return LimitResult.denied(key, longest.limit(), longest.retryAfter());
    }

    /** Logs a refund that failed: the call stays counted, towards denying. */
    static void refundFailed(Log logger, KeyedLimits keyed, Throwable ex) {
        logger.warn("Could not take back a denied call from rate limit key: " + keyed.key()
                + "; it counts until it leaves the window " + keyed.limits(), ex);
    }
}
