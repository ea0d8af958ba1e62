package io.pielock.lock;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * One fair permit per key inside this JVM, so only one local thread at a time holds or waits for a key in the
 * store: the others queue here and are handed the permit on release, instead of stampeding the store.
 * A {@link Semaphore} (not a lock) because a {@link LockHandle} may be closed by another thread.
 * Entries are reference counted and removed when no thread uses them, so distinct keys do not accumulate.
 */
final class LocalGates {

    private final ConcurrentHashMap<String, Gate> gates = new ConcurrentHashMap<>();

    Gate enter(String key) {
        return this.gates.compute(key, (k, gate) -> {
            Gate result = (gate != null) ? gate : new Gate();
            result.users++;
            return result;
        });
    }

    void leave(String key, Gate gate) {
        this.gates.computeIfPresent(key, (k, current) -> (current == gate && --current.users == 0) ? null : current);
    }

    int size() {
        return this.gates.size();
    }

    static final class Gate {

        final Semaphore permit = new Semaphore(1, true);

        // guarded by the map's compute lock for this key
        int users;
    }
}
