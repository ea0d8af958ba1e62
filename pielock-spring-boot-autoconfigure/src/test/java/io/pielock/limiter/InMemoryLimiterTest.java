package io.pielock.limiter;

import io.pielock.store.memory.InMemoryRateLimitStore;

/** The rate limit specification against the in-memory store (one JVM: every "process" shares the store). */
class InMemoryLimiterTest extends AbstractLimiterContractTest {

    private final InMemoryRateLimitStore store = new InMemoryRateLimitStore();

    @Override
    protected RateLimitStore newStore() {
        return this.store;
    }

    @Override
    protected boolean holdsCalls(String key, Limit limit) {
        // one store per test, used by this test's key only
        return this.store.size() > 0;
    }
}
