package io.pielock.lock;

import java.time.Duration;

/**
 * What a {@link LockStore} answers to one acquisition attempt.
 *
 * @param acquired whether the lock was taken with the caller's token
 * @param fencingToken when acquired, the new fencing token (strictly increasing per key); otherwise the last
 *        fencing token issued for the key if the store reports it (a lock passed to the caller later gets a higher
 *        one, see {@link LockStore.GrantListener}), else {@code 0}
 * @param holderTtl when not acquired, how long the current holder's lease still runs, or {@code null} if
 *        unknown; waiters use it to retry as soon as a crashed holder's lease runs out
 */
public record LockAttempt(boolean acquired, long fencingToken, Duration holderTtl) {

    /**
     * @param fencingToken the token issued with the lock
     * @return a successful attempt
     */
    public static LockAttempt acquired(long fencingToken) {
        return new LockAttempt(true, fencingToken, null);
    }

    /**
     * @param holderTtl the holder's remaining lease, or {@code null} if unknown
     * @return a failed attempt
     */
    public static LockAttempt heldElsewhere(Duration holderTtl) {
        return new LockAttempt(false, 0, holderTtl);
    }

    /**
     * @param holderTtl the holder's remaining lease, or {@code null} if unknown
     * @param lastFencingToken the last fencing token issued for the key when the attempt ran, {@code 0} if
     *        unknown
     * @return a failed attempt
     */
    public static LockAttempt heldElsewhere(Duration holderTtl, long lastFencingToken) {
        return new LockAttempt(false, lastFencingToken, holderTtl);
    }
}
