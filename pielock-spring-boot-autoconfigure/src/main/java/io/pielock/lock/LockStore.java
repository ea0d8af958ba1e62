package io.pielock.lock;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Where locks live: one atomic primitive per operation. {@link LockTemplate} owns all policy (waiting,
 * retrying, reentrancy, renewal); a store only decides, atomically, who holds a key.
 * <p>
 * Implementations: {@code io.pielock.store.redis.RedisLockStore} (Lua scripts on Redis server time) and
 * {@code io.pielock.store.memory.InMemoryLockStore} (one JVM). Both pass the same behaviour tests.
 * <p>
 * Every method may throw a {@link RuntimeException} when the store cannot be reached; the template reports it
 * as such, never as contention.
 */
public interface LockStore {

    /**
     * Takes the lock if nobody holds it, setting owner and lease in one atomic step, and issues a fencing token.
     * @param key the lock's name (already namespaced by the caller's prefix, not yet by the store's)
     * @param token the acquisition's random owner token
     * @param lease how long the lock lives unless renewed
     * @return the outcome
     */
    LockAttempt tryAcquire(String key, String token, Duration lease);

    /**
     * Extends the lease, only if {@code token} still owns the lock (compare and extend, atomically).
     * @param key the lock's name
     * @param token the owner token given at acquisition
     * @param lease the new lease, counted from now
     * @return {@code false} if the lock is no longer owned by {@code token}
     */
    boolean renew(String key, String token, Duration lease);

    /**
     * Deletes the lock, only if {@code token} still owns it (compare and delete, atomically), and tells
     * release listeners in every process.
     * @param key the lock's name
     * @param token the owner token given at acquisition
     * @return {@code false} if the lock was not owned by {@code token}; nothing was changed then
     */
    boolean release(String key, String token);

    /**
     * Registers a listener told, on a best-effort basis, the name of every lock released by any process.
     * Called once by each template. It must not connect to anything.
     * @param listener receives released keys
     */
    void addReleaseListener(Consumer<String> listener);

    /**
     * Called before a caller starts waiting: makes sure, as far as it can, that release events are delivered
     * from now on (the Redis store subscribes on first use). Best effort and quick: callers also poll.
     */
    void awaitReleases();
}
