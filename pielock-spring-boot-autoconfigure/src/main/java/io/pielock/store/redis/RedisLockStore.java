package io.pielock.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.pielock.lock.LockAttempt;
import io.pielock.lock.LockStore;

/**
 * A {@link LockStore} on Redis (standalone, Sentinel or Cluster, through Spring Data Redis). Each operation is
 * one Lua script, so one round trip and atomic: see {@code lock-acquire.lua}, {@code lock-renew.lua} and
 * {@code lock-release.lua} beside this class. Leases are Redis's own ({@code PX}), fencing tokens come from
 * the server's clock, never the client's.
 * <p>
 * Releases are announced on one channel ({@link RedisKeys#releaseChannel()}), to which this store subscribes
 * the first time a caller has to wait, not before: an application whose Redis is down at startup still
 * starts. The subscription reconnects by itself; while it is down, waiters fall back to polling.
 * <p>
 * With {@code minReplicasAcked} above zero, an acquisition also waits (Redis {@code WAIT}, on the connection
 * that wrote the lock) until that many replicas have it, for at most a third of the lease and never more than
 * {@link #MAX_REPLICA_WAIT}; a shortfall releases the lock and throws {@link ReplicaAcknowledgementException}.
 * That keeps a lock from vanishing in a failover that promotes a replica which never received it. While
 * {@code WAIT} blocks, other commands on the same connection queue behind it.
 */
public class RedisLockStore implements LockStore, DisposableBean {

    private static final Log logger = LogFactory.getLog(RedisLockStore.class);

    /** How long a lock's fencing counter outlives its last acquisition; tokens rise with server time anyway. */
    static final Duration FENCE_RETENTION = Duration.ofHours(1);

    /** The longest an acquisition waits for replicas to acknowledge it. */
    public static final Duration MAX_REPLICA_WAIT = Duration.ofSeconds(1);

    private final StringRedisTemplate redis;

    private final RedisKeys keys;

    private final RedisMessageListenerContainer releases;

    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    private final AtomicBoolean subscribed = new AtomicBoolean();

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
        this.redis = new StringRedisTemplate(connectionFactory);
        this.keys = keys;
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
        List<Long> reply = (this.minReplicasAcked == 0) ? acquire(this.redis, key, token, lease)
                : this.redis.execute(new SessionCallback<List<Long>>() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <K, V> List<Long> execute(RedisOperations<K, V> operations) {
                        return acquireAcknowledged((RedisOperations<String, String>) operations, key, token, lease);
                    }
                });
        if (reply.get(0) == 1L) {
            return LockAttempt.acquired(reply.get(1));
        }
        long ttl = reply.get(1);
        return LockAttempt.heldElsewhere(ttl >= 0 ? Duration.ofMillis(ttl) : null);
    }

    private List<Long> acquire(RedisOperations<String, String> redis, String key, String token, Duration lease) {
        return redis.execute(LockScripts.ACQUIRE, List.of(this.keys.lock(key), this.keys.fence(key)), token,
                millis(lease), millis(max(lease, FENCE_RETENTION)));
    }

    /** Runs inside one session, so the script and {@code WAIT} share a connection. */
    private List<Long> acquireAcknowledged(RedisOperations<String, String> redis, String key, String token,
            Duration lease) {
        List<Long> reply = acquire(redis, key, token, lease);
        if (reply.get(0) != 1L) {
            return reply;
        }
        Duration wait = max(Duration.ofMillis(1), min(lease.dividedBy(3), MAX_REPLICA_WAIT));
        Long acknowledged = redis.execute((RedisCallback<Long>) connection -> ReplicaAcknowledgement
            .await(connection, this.keys.lock(key), this.minReplicasAcked, wait));
        if (acknowledged == null || acknowledged < this.minReplicasAcked) {
            release(key, token);
            throw new ReplicaAcknowledgementException(key, (acknowledged != null) ? acknowledged : 0,
                    this.minReplicasAcked, wait.toMillis());
        }
        return reply;
    }

    @Override
    public boolean renew(String key, String token, Duration lease) {
        return this.redis.execute(LockScripts.RENEW, List.of(this.keys.lock(key)), token, millis(lease)) == 1L;
    }

    @Override
    public boolean release(String key, String token) {
        return this.redis.execute(LockScripts.RELEASE, List.of(this.keys.lock(key)), token,
                this.keys.releaseChannel(), key) == 1L;
    }

    @Override
    public void addReleaseListener(Consumer<String> listener) {
        this.listeners.add(listener);
    }

    @Override
    public void awaitReleases() {
        if (this.subscribed.compareAndSet(false, true)) {
            try {
                this.releases.addMessageListener((message, pattern) -> {
                    String key = new String(message.getBody(), StandardCharsets.UTF_8);
                    this.listeners.forEach(listener -> listener.accept(key));
                }, new ChannelTopic(this.keys.releaseChannel()));
            }
            catch (RuntimeException ex) {
                this.subscribed.set(false);
                logger.warn("Could not subscribe to lock releases on '" + this.keys.releaseChannel()
                        + "'; waiters poll until it works", ex);
            }
        }
    }

    @Override
    public void destroy() throws Exception {
        this.releases.destroy();
    }

    private static String millis(Duration duration) {
        return Long.toString(Math.max(1, duration.toMillis()));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
