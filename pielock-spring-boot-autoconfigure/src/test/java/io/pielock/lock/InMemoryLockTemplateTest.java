package io.pielock.lock;

import io.pielock.store.memory.InMemoryLockStore;

/** The lock specification against the in-memory store (one JVM: every "process" shares the store). */
class InMemoryLockTemplateTest extends AbstractLockTemplateContractTest {

    private final InMemoryLockStore store = new InMemoryLockStore();

    @Override
    protected LockStore newStore() {
        return this.store;
    }
}
