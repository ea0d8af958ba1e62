package io.pielock.autoconfigure;

import java.util.function.Supplier;

import io.pielock.annotation.DistributedLocked;
import io.pielock.lock.LockContext;
import io.pielock.lock.LockHandle;

/** A bean with {@code @DistributedLocked} methods, for application-level tests. */
public class LockedJobs {

    /**
     * @param name the lock's name
     * @param inside runs while the lock is held
     * @param <T> what it returns
     * @return what {@code inside} returned
     */
    @DistributedLocked(key = "#name", timeout = "0")
    public <T> T run(String name, Supplier<T> inside) {
        return inside.get();
    }

    /**
     * @param name the lock's name
     * @return the lock this call held
     */
    @DistributedLocked(key = "#name", timeout = "0")
    public LockHandle held(String name) {
        return LockContext.current();
    }
}
