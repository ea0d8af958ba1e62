package io.pielock.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.pielock.lock.LockAttempt;
import io.pielock.lock.LockState;
import io.pielock.lock.LockStore;

/**
 * A {@link LockStore} on Redis (standalone, Sentinel or Cluster, through Spring Data Redis). Each operation is
 * one Lua script, so one round trip and atomic: see {@code lock-acquire.lua}, {@code lock-renew.lua} and
 * {@code lock-release.lua} beside this class. Leases are Redis's own ({@code PX}), fencing tokens come from
 * the server's clock, never the client's.
 * <p>
 * Releases are announced on one channel ({@link RedisKeys#releaseChannel()}), to which this store subscribes
 * the first time a caller has to wait, not before: an application whose Redis is down at startup still
 * starts; that first waiter waits (at most {@link #SUBSCRIPTION_WAIT}) until Redis confirms the subscription, so
 * no release goes unheard. The subscription reconnects by itself; while it is down, waiters fall back to polling. A release is
 * announced only while someone waits: a waiter's failed attempt sets a short-lived marker
 * ({@link RedisKeys#waiters(String)}) in the same script, and the release publishes only if it finds one, so
 * uncontended locks cost no pub/sub traffic at all.
 * <p>
 * Threads of one process hand a contended lock to each other with one script ({@code lock-handover.lua}: new
 * owner, new lease, new fencing token) instead of a release and an acquisition, unless a waiter of another
 * process has marked the lock; then the lock is released for it.
 * <p>
 * Scripts run by SHA on a connection straight from the factory; on Spring Boot's default Lettuce set-up, one
 * connection object serves every call ({@link ScriptRunner}).
 * <p>
 * With {@code minReplicasAcked} above zero, an acquisition also waits (Redis {@code WAIT}, on the connection
 * that wrote the lock) until that many replicas have it, for at most a third of the lease and never more than
 * {@link #MAX_REPLICA_WAIT}; a shortfall releases the lock and throws {@link ReplicaAcknowledgementException}.
 * That keeps a lock from vanishing in a failover that promotes a replica which never received it. While
 * {@code WAIT} blocks, other commands on the same connection queue behind it.
 */
public class RedisLockStore implements LockStore, DisposableBean {

    private static final Log logger = LogFactory.getLog(RedisLockStore.class);

    /** The longest the first waiter of a JVM waits for Redis to confirm the release subscription. */
    static final Duration SUBSCRIPTION_WAIT = Duration.ofSeconds(2);

    /** How long a waiter's mark outlives its next attempt, at least. */
    static final Duration WAITER_MARGIN = Duration.ofSeconds(1);

    /** The longest an acquisition waits for replicas to acknowledge it. */
    public static final Duration MAX_REPLICA_WAIT = Duration.ofSeconds(1);

    private static final byte[] NOT_WAITING = { '0' };

    private final RedisConnectionFactory connectionFactory;

    private final ScriptRunner scripts;

    private final byte[] channel;

    private final RedisKeys keys;

    private final RedisMessageListenerContainer releases;

    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    private final AtomicBoolean subscribed = new AtomicBoolean();

    private final CountDownLatch subscriptionConfirmed = new CountDownLatch(1);

    private final int minReplicasAcked;

    /**
     * @param connectionFactory the Redis connections to use
     * @param keys how keys are named
     */
    public RedisLockStore(RedisConnectionFactory connectionFactory, RedisKeys keys) {
        this(connectionFactory, keys, 0);
    }

    /**
     * @param connectionFactory the Redis connections to use
     * @param keys how keys are named
     * @param minReplicasAcked how many replicas must acknowledge each acquisition; {@code 0} does not wait
     */
    public RedisLockStore(RedisConnectionFactory connectionFactory, RedisKeys keys, int minReplicasAcked) {
        if (minReplicasAcked < 0) {
            throw new IllegalArgumentException("minReplicasAcked must be 0 (do not wait) or positive, but was "
                    + minReplicasAcked);
        }
        this.connectionFactory = connectionFactory;
        this.scripts = new ScriptRunner(connectionFactory);
        this.keys = keys;
        this.channel = bytes(keys.releaseChannel());
        this.minReplicasAcked = minReplicasAcked;
        this.releases = new RedisMessageListenerContainer();
        this.releases.setConnectionFactory(connectionFactory);
        // the listener only unparks a thread: run it on the subscription thread, not a new thread per message
        this.releases.setTaskExecutor(new SyncTaskExecutor());
        this.releases.setRecoveryInterval(1000);
        this.releases.afterPropertiesSet();
        this.releases.start();
    }

    @Override
    public LockAttempt tryAcquire(String key, String token, Duration lease) {
        return attempt(key, token, lease, LockScripts.ACQUIRE, bytes(token), millis(lease), NOT_WAITING);
    }

    @Override
    public LockAttempt tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
        return attempt(key, token, lease, LockScripts.ACQUIRE, bytes(token), millis(lease),
                waiterMarker(retryWithin));
    }

    @Override
    public LockAttempt handOver(String key, String fromToken, String toToken, Duration lease, Duration retryWithin) {
        return attempt(key, toToken, lease, LockScripts.HAND_OVER, bytes(fromToken), bytes(toToken), millis(lease),
                this.channel, bytes(key), waiterMarker(retryWithin));
    }

    /**
     * Runs a script that may give the lock to {@code token} (keys: lock, fence, waiters). When replicas must
     * acknowledge, it runs on a connection of its own, which then waits for them ({@code WAIT} applies to what
     * that connection wrote).
     */
    private LockAttempt attempt(String key, String token, Duration lease, LuaScript<?> script, byte[]... args) {
        byte[][] keysAndArgs = keysAndArgs(lockKeys(key), args);
        List<Object> reply;
        if (this.minReplicasAcked == 0) {
            reply = this.scripts.run(script, ReturnType.MULTI, 3, keysAndArgs);
        }
        else {
            try (RedisConnection connection = this.connectionFactory.getConnection()) {
                reply = script.run(connection, ReturnType.MULTI, 3, keysAndArgs);
                if ((Long) reply.get(0) == 1L) {
                    awaitReplicas(connection, key, token, lease);
                }
            }
        }
        if ((Long) reply.get(0) == 1L) {
            return LockAttempt.acquired((Long) reply.get(1));
        }
        long ttl = (Long) reply.get(1);
        return LockAttempt.heldElsewhere(ttl >= 0 ? Duration.ofMillis(ttl) : null);
    }

    private void awaitReplicas(RedisConnection connection, String key, String token, Duration lease) {
        Duration wait = max(Duration.ofMillis(1), min(lease.dividedBy(3), MAX_REPLICA_WAIT));
        long acknowledged = ReplicaAcknowledgement.await(connection, this.keys.lock(key), this.minReplicasAcked,
                wait);
        if (acknowledged < this.minReplicasAcked) {
            release(key, token);
            throw new ReplicaAcknowledgementException(key, acknowledged, this.minReplicasAcked, wait.toMillis());
        }
    }

    @Override
    public boolean renew(String key, String token, Duration lease) {
        return run(LockScripts.RENEW, new byte[][] { bytes(this.keys.lock(key)) }, bytes(token), millis(lease));
    }

    @Override
    public boolean release(String key, String token) {
        return run(LockScripts.RELEASE, new byte[][] { bytes(this.keys.lock(key)), bytes(this.keys.waiters(key)) },
                bytes(token), this.channel, bytes(key));
    }

    /**
     * Reads the lock and its fencing counter in one read-only script ({@code lock-inspect.lua}: {@code PTTL} and
     * {@code GET}); the owner token is never read out.
     */
    @Override
    public Optional<LockState> inspect(String key) {
        List<Object> reply = this.scripts.run(LockScripts.INSPECT, ReturnType.MULTI, 2,
                new byte[][] { bytes(this.keys.lock(key)), bytes(this.keys.fence(key)) });
        long ttl = (Long) reply.get(0);
        Object fence = (reply.size() > 1) ? reply.get(1) : null;
        Long lastFencingToken = (fence instanceof byte[] text)
                ? Long.valueOf(new String(text, StandardCharsets.US_ASCII)) : null;
        return Optional.of(new LockState(ttl != -2, (ttl >= 0) ? Duration.ofMillis(ttl) : null, lastFencingToken));
    }

    /** Runs a script that answers 1 (done) or 0. */
    private boolean run(LuaScript<?> script, byte[][] keys, byte[]... args) {
        Long reply = this.scripts.run(script, ReturnType.INTEGER, keys.length, keysAndArgs(keys, args));
        return reply != null && reply == 1L;
    }

    private byte[][] lockKeys(String key) {
        return new byte[][] { bytes(this.keys.lock(key)), bytes(this.keys.fence(key)), bytes(this.keys.waiters(key)) };
    }

    private static byte[][] keysAndArgs(byte[][] keys, byte[][] args) {
        byte[][] all = Arrays.copyOf(keys, keys.length + args.length);
        System.arraycopy(args, 0, all, keys.length, args.length);
        return all;
    }

    /** How long a waiter's mark lives: until well after its next attempt. */
    private static byte[] waiterMarker(Duration retryWithin) {
        return millis(retryWithin.plus(max(retryWithin, WAITER_MARGIN)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @return the Redis this store uses, as {@link RedisEndpoints} describes it (hosts and ports, no credentials)
     */
    @Override
    public String describe() {
        return RedisEndpoints.describe(this.connectionFactory);
    }

    @Override
    public void addReleaseListener(Consumer<String> listener) {
        this.listeners.add(listener);
    }

    @Override
    public boolean awaitReleases(Duration within) {
        if (this.subscribed.compareAndSet(false, true)) {
            try {
                this.releases.addMessageListener(new ReleaseListener(), new ChannelTopic(this.keys.releaseChannel()));
            }
            catch (RuntimeException ex) {
                this.subscribed.set(false);
                logger.warn("Could not subscribe to lock releases on '" + this.keys.releaseChannel()
                        + "'; waiters poll until it works", ex);
                return false;
            }
            awaitSubscription(within);
            return true; // releases while subscribing went unheard
        }
        if (this.subscriptionConfirmed.getCount() > 0) {
            awaitSubscription(within);
            return true;
        }
        return false;
    }

    /**
     * The first wait in a JVM subscribes, and Redis confirms it asynchronously; a release published before then
     * is not heard. Waits briefly for the confirmation.
     */
    private void awaitSubscription(Duration within) {
        try {
            this.subscriptionConfirmed.await(min(within, SUBSCRIPTION_WAIT).toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands released keys to the listeners, and learns when Redis has confirmed the subscription. */
    private final class ReleaseListener implements MessageListener, SubscriptionListener {

        @Override
        public void onMessage(Message message, byte[] pattern) {
            String key = new String(message.getBody(), StandardCharsets.UTF_8);
            RedisLockStore.this.listeners.forEach(listener -> listener.accept(key));
        }

        @Override
        public void onChannelSubscribed(byte[] channel, long count) {
            RedisLockStore.this.subscriptionConfirmed.countDown();
        }
    }

    @Override
    public void destroy() throws Exception {
        this.releases.destroy();
    }

    private static byte[] millis(Duration duration) {
        return Long.toString(Math.max(1, duration.toMillis())).getBytes(StandardCharsets.US_ASCII);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
