package io.pielock.store.memory;

import java.util.List;
import java.util.Objects;

import reactor.core.publisher.Mono;

import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitAttempt;
import io.pielock.limiter.ReactiveRateLimitStore;

/**
 * A reactive face of an {@link InMemoryRateLimitStore}: the same instance, so a {@code ReactiveLimiter} and a
 * {@code Limiter} over it count the same calls. Each decision is a short critical section of the shared map (no
 * I/O, no waiting), run on the subscribing thread.
 */
public class ReactiveInMemoryRateLimitStore implements ReactiveRateLimitStore {

    private final InMemoryRateLimitStore store;

    /** @param store the store whose state this face decides on (the blocking limiter's) */
    public ReactiveInMemoryRateLimitStore(InMemoryRateLimitStore store) {
        this.store = Objects.requireNonNull(store, "store must not be null");
    }

    @Override
    public Mono<LimitAttempt> tryConsume(String key, List<Limit> limits) {
        return tryConsume(key, limits, 1);
    }

    @Override
    public Mono<LimitAttempt> tryConsume(String key, List<Limit> limits, long cost) {
        return Mono.fromSupplier(() -> this.store.tryConsume(key, limits, cost));
    }

    @Override
    public Mono<Void> refund(String key, LimitAttempt recorded) {
        return Mono.fromRunnable(() -> this.store.refund(key, recorded));
    }

    /** @return the store whose state this face shares */
    public InMemoryRateLimitStore getStore() {
        return this.store;
    }

    @Override
    public String describe() {
        return this.store.describe();
    }
}
