package io.pielock.limiter;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * The non-blocking sibling of {@link RateLimitStore}: the same atomic primitive per decision, the same state
 * (a reactive store and a blocking store on the same storage count the same calls), answered as a {@link Mono}
 * without blocking the subscribing thread. {@link ReactiveLimiter} owns all policy.
 * <p>
 * Implementations: {@code io.pielock.store.redis.ReactiveRedisRateLimitStore} (the Redis store's Lua scripts and
 * keys) and {@code io.pielock.store.memory.ReactiveInMemoryRateLimitStore} (a face of an
 * {@code InMemoryRateLimitStore}). Nothing happens until the returned {@code Mono} is subscribed to, and each
 * subscription is one decision. A store that cannot be reached signals an error, which the limiter reports as
 * such, never as an exceeded limit.
 */
public interface ReactiveRateLimitStore {

    /**
     * Decides one call against every limit of one key, in one atomic step, as
     * {@link RateLimitStore#tryConsume(String, List)}.
     * @param key the rate limit's name
     * @param limits its limits, with distinct windows
     * @return whether the call was recorded, and each window's state, in the order of {@code limits}
     */
    Mono<LimitAttempt> tryConsume(String key, List<Limit> limits);

    /**
     * Decides one call of {@code cost} permits, all or nothing, in one atomic step, as
     * {@link RateLimitStore#tryConsume(String, List, long)}.
     * @param key the rate limit's name
     * @param limits its limits, with distinct windows
     * @param cost how many permits the call takes, from 1 to the smallest count of {@code limits}
     * @return whether the call was recorded, and each window's state, in the order of {@code limits}; by default, for
     *         a cost above 1, an {@link UnsupportedOperationException} (a store written before weighted calls keeps
     *         working for calls of cost 1)
     */
    default Mono<LimitAttempt> tryConsume(String key, List<Limit> limits, long cost) {
        if (cost == 1) {
            return tryConsume(key, limits);
        }
        return Mono.error(() -> new UnsupportedOperationException("Rate limit store " + describe()
                + " cannot decide key: " + key + " for a call of cost " + cost + ": it does not implement weighted calls"));
    }

    /**
     * Takes back a call that {@link #tryConsume} recorded, its whole cost, as {@link RateLimitStore#refund(String, LimitAttempt)}.
     * @param key the rate limit's name
     * @param recorded what {@code tryConsume} answered for the call (allowed)
     * @return completes once the call was taken back (or could not be, exactly)
     */
    Mono<Void> refund(String key, LimitAttempt recorded);

    /**
     * @return where the limits live, for error messages: for example {@code "Redis at localhost:6379"}; never
     *         credentials
     */
    default String describe() {
        return getClass().getSimpleName();
    }
}
