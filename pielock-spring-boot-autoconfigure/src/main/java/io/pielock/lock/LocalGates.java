package io.pielock.lock;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * One fair permit per key inside this JVM, so only one local thread at a time holds or waits for a key in the
 * store: the others queue here and are handed the permit on release, instead of stampeding the store.
 * A {@link Semaphore} (not a lock) because a {@link LockHandle} may be closed by another thread.
 * Entries are reference counted and removed when no thread uses them, so distinct keys do not accumulate.
 * <p>
 * A gate is also where the JVM keeps what it knows of its key while a thread holds or waits for it (the
 * {@link Gate#hold hold}, the {@link Gate#storeWaiter thread waiting on the store}), so that a lock cycle updates one
 * shared map (entering and leaving the gate) rather than one per piece of state.
 * <p>
 * A releasing thread with local threads queued behind it passes its lock, in one store call, to a new owner token
 * that it puts on the gate ({@link Gate#handedOver}): the next thread to take the permit holds the lock at once.
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

    /** @return the key's gate while a thread of this JVM holds or waits for the key, or null */
    Gate get(String key) {
        return this.gates.get(key);
    }

    /** @return the gates in use, a live view (weakly consistent iteration) */
    Collection<Gate> all() {
        return this.gates.values();
    }

    /** Visits every gate in use, with its key (a snapshot as weakly consistent as the map's iteration). */
    void forEach(BiConsumer<String, Gate> action) {
        this.gates.forEach(action);
    }

    /**
     * @return a lock handed over to nobody, when the last thread leaves a gate whose handover no thread took (it
     *         gave up waiting meanwhile): the caller must release it in the store
     */
    Grant leave(String key, Gate gate) {
        Grant[] orphan = new Grant[1];
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

    /** @return the keys whose permit threads queue for, with how many (an estimate, as the queue moves) */
    Map<String, Integer> queued() {
        Map<String, Integer> queued = new HashMap<>();
        this.gates.forEach((key, gate) -> {
            int threads = gate.permit.getQueueLength();
            if (threads > 0) {
                queued.put(key, threads);
            }
        });
        return queued;
    }

    static final class Gate {

        final Semaphore permit = new Semaphore(1, true);

        /**
         * The lock's hold in this JVM while a thread holds it through this gate (set and cleared by the permit's
         * holder), or null.
         */
        volatile Hold hold;

        /** The permit's holder while it waits on the store for the lock (a release wakes it), or null. */
        volatile StoreWaiter storeWaiter;

        /** A lock passed on to the next thread that takes the permit, or null. */
        final AtomicReference<Grant> handedOver = new AtomicReference<>();

        // guarded by the map's compute lock for this key
        int users;

        /**
         * How many times a releasing thread of this JVM gave the lock to another process's waiter instead of the
         * thread queued behind it, since a handover last went ahead of such waiters; only the permit holder
         * touches it.
         */
        volatile int gaveWay;

        /** How many store calls of threads at this gate have failed, so threads queued behind them can say so. */
        final java.util.concurrent.atomic.AtomicInteger storeFailures = new java.util.concurrent.atomic.AtomicInteger();

        /** The last of those failures, or null. */
        volatile Throwable lastStoreFailure;

        void storeFailed(Throwable failure) {
            this.lastStoreFailure = failure;
            this.storeFailures.incrementAndGet();
        }
    }

    /**
     * A lock that a releasing thread passed on in the store to a new owner token, for the next local thread.
     * @param token the new owner token, already the lock's owner in the store
     * @param fencingToken the fencing token the handover issued
     * @param sentAt when the handover was sent ({@link System#nanoTime()}): the lease counts from there
     * @param leaseNanos the lease the handover set
     */
    record Grant(String token, long fencingToken, long sentAt, long leaseNanos) {
    }

    /** The one thread of this JVM waiting on the store for a key, and whether a release was announced. */
    static final class StoreWaiter {

        final Thread thread;

        final String token;

        final Duration lease;

        volatile boolean released;

        /** Set when a release in another process passed the lock to this waiter; 0 until then. */
        volatile long grantedFencingToken;

        /** The lease the lock was passed on with (set before {@link #grantedFencingToken}). */
        volatile long grantedLeaseNanos;

        StoreWaiter(Thread thread, String token, Duration lease) {
            this.thread = thread;
            this.token = token;
            this.lease = lease;
        }
    }
}
