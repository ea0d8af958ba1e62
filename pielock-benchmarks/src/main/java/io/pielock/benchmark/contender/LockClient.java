package io.pielock.benchmark.contender;

/**
 * One client of a lock implementation: its own connections and owner identity, shared by the threads of one
 * process as an application would share it.
 */
public interface LockClient extends AutoCloseable {

    /**
     * Acquires {@code key}, waiting as long as it takes.
     * @param key the lock's name (the implementation adds its own prefix)
     * @return the held lock
     */
    HeldLock lock(String key);

    /** Releases the client's connections and threads. */
    @Override
    void close();
}
