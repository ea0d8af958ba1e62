package io.pielock.lock;

import java.time.Duration;
import java.util.Optional;
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
 * <p>
 * A store that decorates another (metrics, tracing, tests) must forward every method, including the default ones
 * it does not change: in particular {@link #withdraw(String, String, Duration)} and
 * {@link #addGrantListener(GrantListener)}, without which a Redis store may pass a lock to a waiter that no longer
 * waits (the lock then stays taken until its lease ends) or waiters miss the locks passed to them (they then
 * find them at their next attempt, up to {@code retryAfter} later).
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
     * As {@link #tryAcquire(String, String, Duration)}, by a caller that waits: if the lock is held elsewhere,
     * the store remembers for a while that someone waits for it (the caller tries again within
     * {@code retryWithin}), so that its release is announced, or the lock passed to the caller directly (see
     * {@link #addGrantListener(GrantListener)}; a caller that gives up then calls
     * {@link #withdraw(String, String, Duration)}). Releases nobody waits for may go unannounced. An attempt
     * that finds the lock already passed to {@code token} answers acquired.
     * @param key the lock's name
     * @param token the acquisition's random owner token
     * @param lease how long the lock lives unless renewed
     * @param retryWithin the longest the caller waits before its next attempt
     * @return the outcome
     */
    LockAttempt tryAcquire(String key, String token, Duration lease, Duration retryWithin);

    /**
     * Called by a waiting caller that gives up (timeout, tries, interrupt) after at least one
     * {@link #tryAcquire(String, String, Duration, Duration)} found the lock held: a store that hands locks
     * directly to waiters (see {@link #addGrantListener(GrantListener)}) forgets the waiter here, so that no
     * release passes the lock to an acquisition nobody completes. If a release passed it the lock meanwhile, the
     * lock is the caller's, with its lease counted from this call; the caller keeps or releases it.
     * @param key the lock's name
     * @param token the waiting acquisition's owner token
     * @param lease the lease to give the lock if it turns out to be the caller's
     * @return acquired (with the fencing token issued when the lock was passed to the caller), or held elsewhere;
     *         stores that never pass locks to waiters answer held elsewhere without calling anything (the
     *         default)
     */
    default LockAttempt withdraw(String key, String token, Duration lease) {
        return LockAttempt.heldElsewhere(null);
    }

    /**
     * Registers a listener told when a release in any process passed a lock directly to one of this process's
     * waiting acquisitions, by its owner token, with the fencing token issued to it: that acquisition owns the
     * lock from the release on, without an attempt of its own. Called once by each template. Stores that never
     * pass locks to waiters ignore it (the default); then waiters take a released lock with their next attempt.
     * The notice is best effort: a waiter that misses it finds the lock its own at its next attempt
     * ({@link #tryAcquire(String, String, Duration, Duration)} then answers acquired).
     * <p>
     * A message can also arrive late (a paused JVM, a slow subscriber), naming a grant whose lease has run out
     * since, and the lock gone to another owner. So such a store answers each waiting attempt that finds the lock
     * held with the last fencing token issued for the key then ({@link LockAttempt#fencingToken()}), and the
     * template takes a grant on its message alone only if the grant's token is higher (issued after that attempt
     * ran, so its lease has not run out while the waiter counts from before) and well within the grant's lease;
     * otherwise its next attempt confirms the lock.
     * @param listener receives grants
     */
    default void addGrantListener(GrantListener listener) {
    }

    /**
     * Told that a release passed a lock to a waiting acquisition ({@link #addGrantListener(GrantListener)}).
     */
    @FunctionalInterface
    interface GrantListener {

        /**
         * @param key the lock's name
         * @param token the owner token of the acquisition that now owns it
         * @param fencingToken the fencing token issued to it
         * @param lease the lease it was passed on with, counted from the release (at most the one the waiter
         *        asked for; possibly shorter, so that a lock passed to a process that has just died frees itself
         *        soon: the new owner renews it to its own lease once a third of it has passed)
         */
        void granted(String key, String token, long fencingToken, Duration lease);
    }

    /**
     * Passes the lock from {@code fromToken} to {@code toToken} in one atomic step with a new fencing token, for
     * a handover between threads of one process (the releasing thread calls it for the next one): unless a caller
     * elsewhere waits for the lock (as recorded by {@link #tryAcquire(String, String, Duration, Duration)}); then
     * the lock is released instead (or passed to that caller) and the release announced, and the next local thread
     * waits its turn with attempts of its own (a store may also mark the lock as waited for on its behalf, for
     * {@code retryWithin}), so that processes take turns.
     * @param key the lock's name
     * @param fromToken the current owner's token
     * @param toToken the next owner's token
     * @param lease the next owner's lease
     * @param retryWithin how soon the next owner tries again if the lock is not handed over (how long the mark
     *        must last)
     * @return acquired with the new fencing token; otherwise not handed over, with the remaining lease of
     *         whoever holds it ({@code 0} if free: {@code fromToken} lost it) or {@code null} when it was released
     *         for a waiter elsewhere
     */
    LockAttempt handOver(String key, String fromToken, String toToken, Duration lease, Duration retryWithin);

    /**
     * As {@link #handOver(String, String, String, Duration, Duration)}, but with {@code aheadOfOtherProcesses}
     * the lock passes to {@code toToken} even when a caller elsewhere waits for it: the template asks for this once
     * in a while ({@link LockTemplate} does after every third time its process passed the lock to another), so
     * that threads queued in one process may keep a contended lock for one more holder, one round trip, instead of
     * always handing it to another process, while the waiters elsewhere still get at least three of every four
     * turns. Stores that always let other processes go first ignore the flag (the default).
     * @param key the lock's name
     * @param fromToken the current owner's token
     * @param toToken the next owner's token
     * @param lease the next owner's lease
     * @param retryWithin how soon the next owner tries again if the lock is not handed over
     * @param aheadOfOtherProcesses whether the next owner may go before callers waiting elsewhere
     * @return as {@link #handOver(String, String, String, Duration, Duration)}
     */
    default LockAttempt handOver(String key, String fromToken, String toToken, Duration lease, Duration retryWithin,
            boolean aheadOfOtherProcesses) {
        return handOver(key, fromToken, toToken, lease, retryWithin);
    }

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
     * release listeners in every process, at least when someone waits for it.
     * @param key the lock's name
     * @param token the owner token given at acquisition
     * @return {@code false} if the lock was not owned by {@code token}; nothing was changed then
     */
    boolean release(String key, String token);

    /**
     * Registers a listener told, on a best-effort basis, the name of every lock released by any process while a
     * thread of this process waits for it ({@link #awaitReleases(String, Duration)}). Called once by each
     * template. It must not connect to anything. A release that passes the lock straight to a waiter is told to
     * the grant listeners instead ({@link #addGrantListener(GrantListener)}), not here: the lock has a new owner,
     * so the other waiters have nothing to try.
     * @param listener receives released keys
     */
    void addReleaseListener(Consumer<String> listener);

    /**
     * Called when a thread starts waiting for a lock another process holds: makes sure, as far as it can, that
     * its releases are delivered from now on (the Redis store subscribes to the lock's own channel, and waits
     * briefly for Redis to confirm it). Best effort: callers also poll. Each call is matched by one
     * {@link #stopAwaitingReleases(String)} when that thread stops waiting.
     * @param key the lock the caller waits for
     * @param within the longest this may block (the caller's remaining wait)
     * @return whether releases until now may have gone unheard (a subscription was only just made): the caller
     *         should try again at once rather than wait for an event
     */
    boolean awaitReleases(String key, Duration within);

    /**
     * Called when a thread stops waiting for a lock (it got it or gave up): once nobody in this process waits for
     * it, the store may stop listening for its releases.
     * @param key the lock
     */
    default void stopAwaitingReleases(String key) {
    }

    /**
     * Reads, without changing anything, what the store knows about a lock now: whether it is held, the holder's
     * lease left and the last fencing token issued. For the actuator endpoint and diagnostics only; never on the
     * path of an acquisition.
     * @param key the lock's name (as passed to {@link #tryAcquire(String, String, Duration)})
     * @return the lock's state, or empty if this store cannot tell (the default, for stores written before this
     *         method existed)
     */
    default Optional<LockState> inspect(String key) {
        return Optional.empty();
    }

    /**
     * Whether an acquisition that failed with {@code failure} may be sent again, with the same owner token: its
     * connection broke while it was in flight (it may have run; an acquisition that finds the lock already its
     * token's answers as the first run did), or the store undid it (for example, too few replicas acknowledged
     * it and it was released again). {@link LockTemplate} sends such an acquisition again a few times within the
     * caller's timeout instead of failing the call at once. Failures to connect at all, and timeouts, are not
     * transient here: sending again would only wait once more.
     * @param failure what the store threw
     * @return whether sending again is safe and may succeed; {@code false} by default
     */
    default boolean isTransient(RuntimeException failure) {
        return false;
    }

    /**
     * @return where locks live, for error messages: for example {@code "Redis at localhost:6379"}; never
     *         credentials
     */
    default String describe() {
        return getClass().getSimpleName();
    }
}
