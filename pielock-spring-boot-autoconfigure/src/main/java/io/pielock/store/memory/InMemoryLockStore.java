package io.pielock.store.memory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.pielock.lock.LockAttempt;
import io.pielock.lock.LockState;
import io.pielock.lock.LockStore;

/**
 * A {@link LockStore} inside this JVM, with the same semantics as the Redis store: atomic acquire with lease,
 * owner-checked renew and release, fencing tokens that never go down, release events. For tests and for one
 * application instance; it coordinates nothing across processes.
 */
public class InMemoryLockStore implements LockStore {

    private static final int SWEEP_EVERY = 1024;

    /** How long a waiter stays known beyond its next attempt, at least. */
    private static final long MARK_MARGIN = TimeUnit.SECONDS.toNanos(1);

    private final ConcurrentHashMap<String, Lease> locks = new ConcurrentHashMap<>();

    private final AtomicLong lastFencingToken = new AtomicLong();

    private final AtomicLong operations = new AtomicLong();

    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** Until when (nanoTime) someone is known to wait for a key: hand-overs yield to them. */
    private final ConcurrentHashMap<String, Long> waiters = new ConcurrentHashMap<>();

    /**
     * The last fencing token of released keys, kept as long as the lease it was issued with (as Redis keeps its
     * fencing counter), for {@link #inspect(String)} only: acquisitions never read it.
     */
    private final ConcurrentHashMap<String, Fence> releasedFences = new ConcurrentHashMap<>();

    @Override
    public LockAttempt tryAcquire(String key, String token, Duration lease) {
        sweepOccasionally();
        long now = System.nanoTime();
        long[] fence = new long[1];
        Lease current = this.locks.compute(key, (k, existing) -> {
            if (existing != null && !existing.expiredAt(now)) {
                return existing;
            }
            fence[0] = nextFencingToken();
            return new Lease(token, now + lease.toNanos(), new Fence(fence[0], now + lease.toNanos()));
        });
        if (current.token.equals(token) && fence[0] != 0) {
            return LockAttempt.acquired(fence[0]);
        }
        return LockAttempt.heldElsewhere(Duration.ofNanos(Math.max(0, current.expiresAt - now)));
    }

    @Override
    public LockAttempt tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
        LockAttempt attempt = tryAcquire(key, token, lease);
        if (!attempt.acquired()) {
            markWaiting(key, retryWithin);
        }
        return attempt;
    }

    @Override
    public LockAttempt handOver(String key, String fromToken, String toToken, Duration lease, Duration retryWithin) {
        return handOver(key, fromToken, toToken, lease, retryWithin, false);
    }

    @Override
    public LockAttempt handOver(String key, String fromToken, String toToken, Duration lease, Duration retryWithin,
            boolean aheadOfOtherProcesses) {
        long now = System.nanoTime();
        Long waitedUntil = this.waiters.get(key);
        if (!aheadOfOtherProcesses && waitedUntil != null && waitedUntil - now > 0) {
            // a caller of another template waits: release instead, so templates take turns
            release(key, fromToken);
            markWaiting(key, retryWithin);
            return LockAttempt.heldElsewhere(null);
        }
        long[] fence = new long[1];
        Lease current = this.locks.computeIfPresent(key, (k, existing) -> {
            if (!existing.ownedBy(fromToken, now)) {
                return existing;
            }
            fence[0] = nextFencingToken();
            return new Lease(toToken, now + lease.toNanos(), new Fence(fence[0], now + lease.toNanos()));
        });
        if (fence[0] != 0) {
            return LockAttempt.acquired(fence[0]);
        }
        boolean free = current == null || current.expiredAt(now);
        return LockAttempt.heldElsewhere(Duration.ofNanos(free ? 0 : current.expiresAt - now));
    }

    private void markWaiting(String key, Duration retryWithin) {
        long until = System.nanoTime() + retryWithin.toNanos() + Math.max(retryWithin.toNanos(), MARK_MARGIN);
        this.waiters.merge(key, until, Math::max);
    }

    @Override
    public boolean renew(String key, String token, Duration lease) {
        long now = System.nanoTime();
        boolean[] renewed = new boolean[1];
        this.locks.computeIfPresent(key, (k, existing) -> {
            if (existing.ownedBy(token, now)) {
                renewed[0] = true;
                return new Lease(token, now + lease.toNanos(), existing.fence);
            }
            return existing;
        });
        return renewed[0];
    }

    @Override
    public boolean release(String key, String token) {
        long now = System.nanoTime();
        boolean[] released = new boolean[1];
        this.locks.computeIfPresent(key, (k, existing) -> {
            if (existing.ownedBy(token, now)) {
                released[0] = true;
                if (!existing.fence.forgottenAt(now)) {
                    this.releasedFences.put(key, existing.fence);
                }
                return null;
            }
            return existing;
        });
        if (released[0]) {
            this.listeners.forEach(listener -> listener.accept(key));
        }
        return released[0];
    }

    /**
     * The lock with its fencing token or, when nobody ever held it since, the token its last holder left at release
     * (a lease entry is always newer than a released fence of its key), each while the store keeps it.
     */
    @Override
    public Optional<LockState> inspect(String key) {
        long now = System.nanoTime();
        Lease lease = this.locks.get(key);
        Fence fence = (lease != null) ? lease.fence : this.releasedFences.get(key);
        Long lastFencingToken = (fence != null && !fence.forgottenAt(now)) ? fence.token : null;
        if (lease != null && !lease.expiredAt(now)) {
            return Optional.of(new LockState(true, Duration.ofNanos(lease.expiresAt - now), lastFencingToken));
        }
        return Optional.of(new LockState(false, null, lastFencingToken));
    }

    @Override
    public void addReleaseListener(Consumer<String> listener) {
        this.listeners.add(listener);
    }

    @Override
    public String describe() {
        return "the in-memory store of this JVM";
    }

    @Override
    public boolean awaitReleases(String key, Duration within) {
        return false; // events are delivered synchronously by release()
    }

    /** Server time in microseconds, or one more than the last token when the clock has not moved on. */
    private long nextFencingToken() {
        long nowMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        return this.lastFencingToken.accumulateAndGet(nowMicros, (last, now) -> Math.max(last + 1, now));
    }

    /** @return how many leases, waiting marks and released fences the store holds now (forgets none first) */
    int held() {
        return this.locks.size() + this.waiters.size() + this.releasedFences.size();
    }

    private void sweepOccasionally() {
        if (this.operations.incrementAndGet() % SWEEP_EVERY == 0) {
            long now = System.nanoTime();
            this.locks.entrySet().removeIf(entry -> {
                if (!entry.getValue().expiredAt(now)) {
                    return false;
                }
                // older than the expired lease, whose own fence is forgotten by now (it lived no longer)
                this.releasedFences.remove(entry.getKey());
                return true;
            });
            this.waiters.values().removeIf(until -> until - now <= 0);
            this.releasedFences.values().removeIf(fence -> fence.forgottenAt(now));
        }
    }

    /** A fencing token and until when (nanoTime) it is kept: the lease it was issued with, from its issue. */
    private record Fence(long token, long keptUntil) {

        boolean forgottenAt(long now) {
            return now - this.keptUntil >= 0;
        }
    }

    private record Lease(String token, long expiresAt, Fence fence) {

        boolean expiredAt(long now) {
            return now - this.expiresAt >= 0;
        }

        boolean ownedBy(String token, long now) {
            return this.token.equals(token) && !expiredAt(now);
        }
    }
}
