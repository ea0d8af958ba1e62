package io.pielock.store.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

import io.pielock.lock.LockAttempt;
import io.pielock.lock.ReactiveLockStore;

/**
 * The reactive face of a {@link RedisLockStore}: the same Lua scripts, keys ({@link RedisKeys}), fencing tokens,
 * waiter marks and release channels, run on a {@link ReactiveRedisConnectionFactory} without blocking, so a
 * blocking and a reactive service on one Redis exclude each other on the same key. Works on Redis standalone,
 * Sentinel and Cluster (each lock's keys share one hash tag; a script is routed to its slot's master).
 * <p>
 * Release notifications are the blocking store's: the same per-lock subscriptions, shared by blocking and
 * reactive waiters of this JVM ({@link RedisLockStore#awaitReleasesAsync(String)}). Subscribing the first waiter
 * of a lock goes through Spring's listener container, which may block briefly; it runs on Reactor's
 * bounded-elastic scheduler, never on an event loop, and its confirmation is awaited without a thread.
 * <p>
 * With {@code minReplicasAcked} above zero, an acquisition must wait for replicas ({@code WAIT}) on the connection
 * that wrote it, which has no non-blocking form here: such acquisitions run the blocking store's acquisition on
 * the bounded-elastic scheduler (never on an event loop), with its semantics unchanged. Renewals and releases stay
 * non-blocking.
 */
public class ReactiveRedisLockStore implements ReactiveLockStore {

    private final RedisLockStore blocking;

    private final RedisKeys keys;

    private final ReactiveScriptRunner scripts;

    /**
     * @param connectionFactory the reactive Redis connections to use (the same Redis as {@code blocking}'s)
     * @param blocking the blocking store whose keys, release subscriptions and replica setting this face shares
     */
    public ReactiveRedisLockStore(ReactiveRedisConnectionFactory connectionFactory, RedisLockStore blocking) {
        Objects.requireNonNull(connectionFactory, "connectionFactory must not be null");
        this.blocking = Objects.requireNonNull(blocking, "blocking must not be null");
        this.keys = blocking.keys();
        this.scripts = new ReactiveScriptRunner(connectionFactory);
        LockScripts.load(); // now, while the store is created, not on the event loop of a first acquisition
    }

    @Override
    public Mono<LockAttempt> tryAcquire(String key, String token, Duration lease) {
        if (this.blocking.minReplicasAcked() > 0) {
            return offEventLoops(() -> this.blocking.tryAcquire(key, token, lease));
        }
        return acquire(key, token, lease, RedisLockStore.NOT_WAITING);
    }

    @Override
    public Mono<LockAttempt> tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
        if (this.blocking.minReplicasAcked() > 0) {
            return offEventLoops(() -> this.blocking.tryAcquire(key, token, lease, retryWithin));
        }
        return acquire(key, token, lease, RedisLockStore.waiterMarker(retryWithin));
    }

    private Mono<LockAttempt> acquire(String key, String token, Duration lease, byte[] waiterMark) {
        // a reactive waiter only hears of releases (it takes the lock with its own attempt): it is not passed locks
        byte[][] keysAndArgs = RedisLockStore.keysAndArgs(this.blocking.lockKeys(key), new byte[][] {
                RedisLockStore.bytes(token), RedisLockStore.millis(lease), waiterMark, RedisLockStore.NO_GRANTS,
                this.blocking.listenerIdBytes() });
        return this.scripts.multi(LockScripts.ACQUIRE, 3, keysAndArgs).map(RedisLockStore::attempt);
    }

    private static Mono<LockAttempt> offEventLoops(java.util.concurrent.Callable<LockAttempt> acquisition) {
        return Mono.fromCallable(acquisition).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Mono<Boolean> renew(String key, String token, Duration lease) {
        return this.scripts.done(LockScripts.RENEW, 1, new byte[][] { RedisLockStore.bytes(this.keys.lock(key)),
                RedisLockStore.bytes(token), RedisLockStore.millis(lease) });
    }

    @Override
    public Mono<Boolean> release(String key, String token) {
        return this.scripts.done(LockScripts.RELEASE, 3, RedisLockStore.keysAndArgs(this.blocking.lockKeys(key),
                new byte[][] { RedisLockStore.bytes(token), this.keys.releaseChannelBytes(key),
                        this.blocking.publishCommand() }));
    }

    @Override
    public void addReleaseListener(Consumer<String> listener) {
        this.blocking.addReleaseListener(listener);
    }

    /**
     * Subscribes (on the bounded-elastic scheduler) and waits for Redis's confirmation without a thread, at most
     * {@link RedisLockStore#SUBSCRIPTION_WAIT}; unconfirmed by then, the caller looks again and polls, as a
     * blocking waiter does.
     */
    @Override
    public Mono<Boolean> awaitReleases(String key) {
        return Mono.fromFuture(() -> this.blocking.awaitReleasesAsync(key), true)
            .subscribeOn(Schedulers.boundedElastic())
            .timeout(RedisLockStore.SUBSCRIPTION_WAIT, Mono.just(true));
    }

    /** Off the caller's thread: the blocking store's subscription bookkeeping may wait for a subscribing waiter. */
    @Override
    public void stopAwaitingReleases(String key) {
        Schedulers.boundedElastic().schedule(() -> this.blocking.stopAwaitingReleases(key));
    }

    @Override
    public boolean isTransient(Throwable failure) {
        return failure instanceof RuntimeException runtime && this.blocking.isTransient(runtime);
    }

    @Override
    public String describe() {
        return this.blocking.describe();
    }
}
