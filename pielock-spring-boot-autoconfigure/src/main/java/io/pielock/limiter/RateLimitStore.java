package io.pielock.limiter;

import java.util.List;

/**
 * Where rate limits live: one atomic primitive per decision. {@link Limiter} owns all policy (validation,
 * several keys, failing open or closed, messages); a store only counts calls in sliding windows.
 * <p>
 * Each limit of a key is an exact sliding window: a call at time {@code t} is counted until {@code t + window},
 * and a store keeps at most {@code count} timestamps per key and window. Time is the store's own (Redis: the
 * server's {@code TIME}), never the caller's.
 * <p>
 * Implementations: {@code io.pielock.store.redis.RedisRateLimitStore} (one Lua script on Redis server time) and
 * {@code io.pielock.store.memory.InMemoryRateLimitStore} (one JVM). Both pass the same behaviour tests.
 * <p>
 * Every method may throw a {@link RuntimeException} when the store cannot be reached; the limiter reports it
 * as such, never as an exceeded limit.
 */
public interface RateLimitStore {

    /**
     * Decides one call against every limit of one key, in one atomic step: forgets calls that have left each
     * window, and only if every window has room records the call in all of them under {@code permit}. A call
     * denied by one window is recorded in none.
     * @param key the rate limit's name
     * @param limits its limits, with distinct windows
     * @param permit an identifier unique to this call, for {@link #refund}
     * @return whether the call was recorded, and each window's state, in the order of {@code limits}
     */
    LimitAttempt tryConsume(String key, List<Limit> limits, String permit);

    /**
     * Takes back a call recorded by {@link #tryConsume} (the limiter does so when a later key denies the same
     * call). Does nothing for windows that no longer hold it.
     * @param key the rate limit's name
     * @param limits the limits given to {@code tryConsume}
     * @param permit the identifier given to {@code tryConsume}
     */
    void refund(String key, List<Limit> limits, String permit);
}
