package io.pielock.lock;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One fair permit per key inside this JVM, so only one local thread at a time holds or waits for a key in the
 * store: the others queue here and are handed the permit on release, instead of stampeding the store.
 * A {@link Semaphore} (not a lock) because a {@link LockHandle} may be closed by another thread.
 * Entries are reference counted and removed when no thread uses them, so distinct keys do not accumulate.
 * <p>
 * A releasing thread with local threads queued behind it may leave its lock in the store and put its token on the
 * gate ({@link Gate#handedOver}): the next thread to take the permit then takes the lock over in one store call.
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

    /**
     * @return the owner token of a lock handed over to nobody, when the last thread leaves a gate whose handover
     *         no thread took (it gave up waiting meanwhile): the caller must release it in the store
     */
    String leave(String key, Gate gate) {
        String[] orphan = new String[1];
        this.gates.computeIfPresent(key, (k, current) -> {
            if (current == gate && --current.users == 0) {
                orphan[0] = current.handedOver.getAndSet(null);
                return null;
            }
            return current;
        });
        return orphan[0];
    }

    int size() {
        return this.gates.size();
    }

    static final class Gate {

        final Semaphore permit = new Semaphore(1, true);

        /** The owner token of a lock left to the next thread that takes the permit, or null. */
        final AtomicReference<String> handedOver = new AtomicReference<>();

        // guarded by the map's compute lock for this key
        int users;
    }
}
