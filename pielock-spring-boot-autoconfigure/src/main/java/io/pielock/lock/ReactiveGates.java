package io.pielock.lock;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reactive sibling of {@link LocalGates}: one permit per key inside this template, so only one acquisition
 * at a time holds or waits for a key in the store; the others queue here, first come first served, and are
 * passed the permit when it is let go, instead of all polling the store. Nothing here blocks: a queued
 * acquisition is a callback, not a parked thread. Entries are reference counted and removed when unused.
 */
final class ReactiveGates {

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

        // guarded by the map's compute lock for this key
        int users;

        // guarded by this
        private boolean taken;

        // guarded by this
        private final ArrayDeque<ReactiveAcquisition> queue = new ArrayDeque<>();

        /** How many store calls of acquisitions at this gate have failed, so those queued behind can say so. */
        final AtomicInteger storeFailures = new AtomicInteger();

        /** The last of those failures, or null. */
        volatile Throwable lastStoreFailure;

        void storeFailed(Throwable failure) {
            this.lastStoreFailure = failure;
            this.storeFailures.incrementAndGet();
        }

        /** @return whether the permit was free and is now the caller's */
        synchronized boolean tryTake() {
            if (this.taken) {
                return false;
            }
            this.taken = true;
            return true;
        }

        /** @return true if the permit was free and is now the caller's; false if queued for it */
        synchronized boolean takeOrQueue(ReactiveAcquisition acquisition) {
            if (!this.taken) {
                this.taken = true;
                return true;
            }
            this.queue.add(acquisition);
            return false;
        }

        /** @return whether it was still queued (false: the permit is being passed to it) */
        synchronized boolean remove(ReactiveAcquisition acquisition) {
            return this.queue.remove(acquisition);
        }

        /** @return the acquisition the permit passes to (it holds it now), or null: the permit is free */
        synchronized ReactiveAcquisition pass() {
            ReactiveAcquisition next = this.queue.poll();
            if (next == null) {
                this.taken = false;
            }
            return next;
        }

        synchronized int queued() {
            return this.queue.size();
        }
    }
}
