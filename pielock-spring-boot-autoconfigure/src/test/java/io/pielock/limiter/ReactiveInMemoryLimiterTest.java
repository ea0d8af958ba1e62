package io.pielock.limiter;

import io.pielock.store.memory.InMemoryRateLimitStore;
import io.pielock.store.memory.ReactiveInMemoryRateLimitStore;

/**
 * The reactive rate limit specification against a reactive face of the in-memory store (one JVM: every
 * "process" shares the store, as does the blocking limiter).
 */
class ReactiveInMemoryLimiterTest extends AbstractReactiveLimiterContractTest {

    private final InMemoryRateLimitStore store = new InMemoryRateLimitStore();

    @Override
    protected ReactiveRateLimitStore newStore() {
        return new ReactiveInMemoryRateLimitStore(this.store);
    }

    @Override
    protected RateLimitStore newBlockingStore() {
        return this.store;
    }
}
