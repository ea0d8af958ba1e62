package io.pielock.lock;

import java.time.Duration;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;

/**
 * The non-blocking sibling of {@link LockStore}: the same atomic primitives (the same scripts and keys on Redis,
 * the same state in memory), answered as {@link Mono}s that never block a thread. {@link ReactiveLockTemplate}
 * owns all policy; a store only decides, atomically, who holds a key.
 * <p>
 * Implementations: {@code io.pielock.store.redis.ReactiveRedisLockStore} and
 * {@code io.pielock.store.memory.InMemoryReactiveLockStore}, each sharing the state of its blocking store, so a
 * blocking and a reactive caller exclude each other on the same key.
 * <p>
 * A store that cannot be reached answers with an error signal; the template reports it as such, never as
 * contention.
 */
public interface ReactiveLockStore {

    /**
     * One attempt to take the lock, setting owner and lease atomically, with a new fencing token; marks no waiter.
     * @param key the lock's name
     * @param token the acquisition's random owner token
     * @param lease how long the lock lives unless renewed
     * @return the outcome
     */
    Mono<LockAttempt> tryAcquire(String key, String token, Duration lease);

    /**
     * As {@link #tryAcquire(String, String, Duration)}, by a caller that waits: if the lock is held elsewhere, the
     * store remembers for a while that someone waits for it, so that its release is announced
     * ({@link LockStore#tryAcquire(String, String, Duration, Duration)}).
     * @param key the lock's name
     * @param token the acquisition's random owner token
     * @param lease how long the lock lives unless renewed
     * @param retryWithin the longest the caller waits before its next attempt
     * @return the outcome
     */
    Mono<LockAttempt> tryAcquire(String key, String token, Duration lease, Duration retryWithin);

    /**
     * Extends the lease, only if {@code token} still owns the lock.
     * @param key the lock's name
     * @param token the owner token given at acquisition
     * @param lease the new lease, counted from now
     * @return {@code false} if the lock is no longer owned by {@code token}
     */
    Mono<Boolean> renew(String key, String token, Duration lease);

    /**
     * Deletes the lock, only if {@code token} still owns it, and announces the release to waiters in every
     * process.
     * @param key the lock's name
     * @param token the owner token given at acquisition
     * @return {@code false} if the lock was not owned by {@code token}; nothing was changed then
     */
    Mono<Boolean> release(String key, String token);

    /**
     * Registers a listener told, on a best-effort basis, the name of every lock released by any process while a
     * caller of this process waits for it ({@link #awaitReleases(String)}). Called once by each template; it must
     * not connect to anything. The listener is called on whatever thread hears the release, and must not block.
     * @param listener receives released keys
     */
    void addReleaseListener(Consumer<String> listener);

    /**
     * Called when a caller starts waiting for a lock held elsewhere: makes sure, as far as it can, that its
     * releases are delivered from now on. Completes once the store hears them (Redis confirmed the subscription),
     * or after a short bound. Each call is matched by one {@link #stopAwaitingReleases(String)}.
     * @param key the lock the caller waits for
     * @return whether releases until now may have gone unheard (the subscription is new): the caller should look
     *         again at once rather than wait for an event
     */
    Mono<Boolean> awaitReleases(String key);

    /**
     * Called when a caller stops waiting for a lock (it got it or gave up).
     * @param key the lock
     */
    default void stopAwaitingReleases(String key) {
    }

    /**
     * Whether an acquisition that failed with {@code failure} may be sent again with the same owner token
     * ({@link LockStore#isTransient(RuntimeException)}).
     * @param failure the error signal of a store call
     * @return whether sending again is safe and may succeed; {@code false} by default
     */
    default boolean isTransient(Throwable failure) {
        return false;
    }

    /** @return where locks live, for error messages; never credentials */
    default String describe() {
        return getClass().getSimpleName();
    }
}
