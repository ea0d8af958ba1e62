package io.pielock.benchmark.jmh;

import io.pielock.annotation.DistributedLocked;
import io.pielock.annotation.RateLimited;
import io.pielock.limiter.TimeUnit;
import io.pielock.lock.LockContext;
import io.pielock.lock.LockHandle;

/**
 * A bean whose methods do nearly nothing under pielock's annotations, so that a call measures the interception.
 * The direct benchmarks do the same work through {@code LockTemplate} and {@code Limiter}.
 */
public class GuardedCalls {

    /** The lock and rate limit key of every call. */
    static final String KEY = "interception";

    /**
     * Calls per window that always admit (a call takes well over 10 ns, so fewer than 100,000 fit in 1 ms): a
     * benchmark measures the admitted path, not an exception. Within the sliding window's cap on counts.
     */
    static final long COUNT = 100_000L;

    /** A short window keeps the memory store's per-key log of admitted calls small. */
    static final String WINDOW = "1ms";

    /**
     * @param value anything
     * @return value + 1, while holding the lock
     */
    @DistributedLocked(key = "'interception'")
    public long locked(long value) {
        return value + 1;
    }

    /**
     * @param value anything
     * @return value + 1, once admitted
     */
    @RateLimited(key = "'interception'", count = COUNT, window = WINDOW)
    public long limited(long value) {
        return value + 1;
    }

    /**
     * Proves the lock advice runs at all (the benchmarks cannot tell a method that is not intercepted).
     * @return the key of the lock this call held, or null if it held none
     */
    @DistributedLocked(key = "'interception-check'")
    public String heldLockKey() {
        LockHandle held = LockContext.current();
        return (held != null) ? held.key() : null;
    }

    /**
     * Proves the rate limit advice runs at all: a second call within a minute is denied.
     * @return true, when admitted
     */
    @RateLimited(key = "'interception-check'", count = 1, per = TimeUnit.MINUTE)
    public boolean oncePerMinute() {
        return true;
    }
}
