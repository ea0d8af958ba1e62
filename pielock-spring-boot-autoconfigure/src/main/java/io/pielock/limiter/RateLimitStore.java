package io.pielock.limiter;

import java.util.List;

/**
 * Where rate limits live: one atomic primitive per decision. {@link Limiter} owns all policy (validation,
 * several keys, failing open or closed, messages); a store only counts calls.
 * <p>
 * Each limit of a key is an exact sliding window: a call at time {@code t} is counted until {@code t + window}
 * (a call at exactly {@code now - window} has left it), and a store keeps at most {@code count} timestamps per
 * key and window. Time is the store's own (Redis: the server's {@code TIME}), never the caller's.
 * <p>
 * Implementations: {@code io.pielock.store.redis.RedisRateLimitStore} (one Lua script on Redis server time) and
 * {@code io.pielock.store.memory.InMemoryRateLimitStore} (one JVM). Both pass the same behaviour tests.
 * <p>
 * Every method may throw a {@link RuntimeException} when the store cannot be reached; the limiter reports it
 * as such, never as an exceeded limit.
 */
public interface RateLimitStore {

    /**
     * Decides one call against every limit of one key, in one atomic step: only if every window has room
     * records the call in all of them. A call denied by one window is recorded in none.
     * @param key the rate limit's name
     * @param limits its limits, with distinct windows
     * @return whether the call was recorded, and each window's state (with its {@link WindowState#mark()}), in
     *         the order of {@code limits}
     */
    LimitAttempt tryConsume(String key, List<Limit> limits);

    /**
     * Decides one call of {@code cost} permits, all or nothing, as {@code cost} calls at the same instant: only
     * if every window has room for all of them (a sliding window holds at most {@code count - cost} calls; a GCRA
     * limit would allow the last of them) records them all, in every window; otherwise records none.
     * @param key the rate limit's name
     * @param limits its limits, with distinct windows
     * @param cost how many permits the call takes, from 1 to the smallest count of {@code limits} (the limiter
     *        checks both)
     * @return whether the call was recorded, and each window's state (its remaining count after the whole cost),
     *         in the order of {@code limits}, with the cost
     * @throws UnsupportedOperationException by default for a cost above 1: a store written before weighted calls
     *         keeps working for calls of cost 1 (the limiter then reports the call as the store's error)
     */
    default LimitAttempt tryConsume(String key, List<Limit> limits, long cost) {
        if (cost == 1) {
            return tryConsume(key, limits);
        }
        throw new UnsupportedOperationException("Rate limit store " + describe() + " cannot decide key: " + key
                + " for a call of cost " + cost + ": it does not implement weighted calls");
    }

    /**
     * Takes back a call that {@link #tryConsume} recorded, its whole {@link LimitAttempt#cost()} (the limiter does so when a later key denies the same
     * call). Does nothing for windows that no longer hold it. A store that cannot take it back exactly (another
     * call was recorded since) must err towards keeping it counted: a refund never lets a window admit more than
     * its count.
     * @param key the rate limit's name
     * @param recorded what {@code tryConsume} answered for the call (allowed)
     */
    void refund(String key, LimitAttempt recorded);

    /**
     * @return whether this store answers a call that a recent decision denied from memory, without asking the
     *         store again, until the call could first fit (the Redis stores with
     *         {@code pielock.limiter.remember-denials}, the default); false by default
     */
    default boolean remembersDenials() {
        return false;
    }

    /**
     * @return where the limits live, for error messages: for example {@code "Redis at localhost:6379"}; never
     *         credentials
     */
    default String describe() {
        return getClass().getSimpleName();
    }
}
