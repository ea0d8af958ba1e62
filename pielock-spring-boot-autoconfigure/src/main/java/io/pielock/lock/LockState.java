package io.pielock.lock;

import java.time.Duration;

/**
 * What a {@link LockStore} says about one lock at the moment it is asked ({@link LockStore#inspect(String)}): for
 * operators and diagnostics, never for deciding who holds a lock (the answer may be stale when it arrives).
 * Never carries the holder's owner token.
 *
 * @param held whether some process holds the lock now
 * @param leaseLeft while held, how long the holder's lease still runs, or {@code null} if the store cannot tell;
 *        always {@code null} when free
 * @param lastFencingToken the last fencing token issued for the key, while the store keeps it (as long as the lease
 *        it was issued with, from its issue), or {@code null}: none issued within that time, or unknown
 */
public record LockState(boolean held, Duration leaseLeft, Long lastFencingToken) {

    /**
     * @throws IllegalArgumentException if the lease left is negative, or given for a free lock
     */
    public LockState {
        if (leaseLeft != null && leaseLeft.isNegative()) {
            throw new IllegalArgumentException("leaseLeft must not be negative, but was " + leaseLeft);
        }
        if (!held && leaseLeft != null) {
            throw new IllegalArgumentException("a free lock has no lease left, but was given " + leaseLeft);
        }
    }
}
