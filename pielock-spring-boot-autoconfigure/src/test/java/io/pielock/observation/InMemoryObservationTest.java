package io.pielock.observation;

import io.pielock.limiter.RateLimitStore;
import io.pielock.lock.LockStore;
import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.store.memory.InMemoryRateLimitStore;

/** The observation specification against the in-memory stores (every "process" shares the store). */
class InMemoryObservationTest extends AbstractObservationContractTest {

    private final InMemoryLockStore locks = new InMemoryLockStore();

    @Override
    protected LockStore newLockStore() {
        return this.locks;
    }

    @Override
    protected RateLimitStore newRateLimitStore() {
        return new InMemoryRateLimitStore();
    }

    @Override
    protected String storeTag() {
        return "memory";
    }
}
