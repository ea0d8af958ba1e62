package io.pielock.benchmark.contender;

/** A lock one thread holds; the same thread releases it. */
@FunctionalInterface
public interface HeldLock {

    /**
     * Releases the lock.
     * @throws IllegalStateException if the implementation says the lock was no longer held
     */
    void unlock();
}
