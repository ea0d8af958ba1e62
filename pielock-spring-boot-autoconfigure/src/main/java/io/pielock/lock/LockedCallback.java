package io.pielock.lock;

/**
 * Code run while a lock is held, for {@link LockTemplate#executeHolding(LockHandle, LockedCallback)}; unlike
 * {@link java.util.function.Supplier} it may throw anything, which is what method interceptors need.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface LockedCallback<T> {

    /**
     * @return the result
     * @throws Throwable whatever the guarded code throws; it is passed through unchanged
     */
    T doInLock() throws Throwable;
}
