package io.pielock.lock;

import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.store.memory.InMemoryReactiveLockStore;

/**
 * The reactive lock specification against the in-memory store: every "process" shares one
 * {@link InMemoryLockStore}, its blocking and reactive faces alike.
 */
class InMemoryReactiveLockTemplateTest extends AbstractReactiveLockTemplateContractTest {

    private final InMemoryLockStore store = new InMemoryLockStore();

    @Override
    protected Process newStores() {
        return new Process(this.store, new InMemoryReactiveLockStore(this.store));
    }

    @Override
    protected boolean heldInStore(String key) {
        return this.store.inspect(key).orElseThrow().held();
    }

    @Override
    protected long entriesInStore(String prefix) {
        return 0; // the memory store sweeps lazily; its maps are not the subject here
    }

    @Override
    protected void deleteBehindTheHoldersBack(ReactiveLockHandle handle) {
        this.store.release(handle.key(), handle.hold().token());
    }
}
