package io.pielock.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

import io.pielock.lock.LockAttempt;
import io.pielock.lock.LockState;
import io.pielock.lock.LockStore;

/**
 * A {@link LockStore} on Redis (standalone, Sentinel or Cluster, through Spring Data Redis). Each operation is
 * one Lua script, so one round trip and atomic: see {@code lock-acquire.lua}, {@code lock-renew.lua} and
 * {@code lock-release.lua} beside this class. Leases are Redis's own ({@code PX}), fencing tokens come from
 * the server's clock, never the client's.
 * <p>
 * Releases are announced to the waiter they concern, on its store's own channel for the lock
 * ({@link RedisKeys#releaseChannel(String, String)}: the lock's release channel followed by this store's
 * {@link #listenerId() listener id}, which a waiting attempt leaves in the lock's wait queue). This store subscribes
 * to it only while a thread of this JVM waits for that lock (and for {@link #LINGER} after, so a hot lock keeps its
 * channel): a JVM hears only what concerns its own waiters, not the whole fleet's traffic, nor the grants to other
 * processes waiting for the same lock.
 * Nothing connects before the first wait, so an application whose Redis is down at startup still starts. The
 * first waiter for a lock waits (at most {@link #SUBSCRIPTION_WAIT}) until Redis confirms the subscription, then
 * looks at the lock again, so no release goes unheard. The subscription connection reconnects by itself; while
 * it is down, waiters fall back to polling. A release is
 * announced only while someone waits: a waiter's failed attempt queues it, in the same script, in the lock's wait
 * queue ({@link RedisKeys#queue(String)}, {@code lock-queue.lua}), and the release publishes only if it finds a
 * waiter there (passing the lock to the one waiting longest), so uncontended locks cost no pub/sub traffic at all. On Redis Cluster (Redis 7+, Lettuce) the channels are sharded
 * ({@code SSUBSCRIBE}/{@code SPUBLISH}: {@link ShardedReleaseSubscriptions}), so a release's message stays on the
 * lock's shard; elsewhere they are classic ({@link ClassicReleaseSubscriptions}).
 * <p>
 * Threads of one process hand a contended lock to each other with one script ({@code lock-handover.lua}: new
 * owner, new lease, new fencing token) instead of a release and an acquisition, unless a waiter of another
 * process is queued; then the lock passes to it (except once after every third time, when the template asks to go
 * ahead: {@link #handOver(String, String, String, Duration, Duration, boolean)}).
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

    /** The longest the first waiter for a lock waits for Redis to confirm the subscription to its releases. */
    static final Duration SUBSCRIPTION_WAIT = Duration.ofSeconds(2);

    /** How long a lock's release channel stays subscribed after the last thread of this JVM stopped waiting. */
    static final Duration LINGER = Duration.ofSeconds(5);

    /** {@link #LINGER}, shorter in tests that wait for a subscription to end. */
    private volatile long lingerNanos = LINGER.toNanos();

    /** How long a waiter's mark outlives its next attempt, at least. */
    static final Duration WAITER_MARGIN = Duration.ofSeconds(1);

    /** The longest an acquisition waits for replicas to acknowledge it. */
    public static final Duration MAX_REPLICA_WAIT = Duration.ofSeconds(1);

    static final byte[] NOT_WAITING = { '0' };

    static final byte[] GRANTS = { '1' };

    static final byte[] NO_GRANTS = { '0' };

    static final byte[] AHEAD = { '1' };

    static final byte[] NOT_AHEAD = { '0' };

    private final RedisConnectionFactory connectionFactory;

    private final ScriptRunner scripts;

    private final RedisKeys keys;

    private final ReleaseSubscriptions releases;

    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    private final List<GrantListener> grantListeners = new CopyOnWriteArrayList<>();

    /** The locks this JVM listens for, by name; also the monitor guarding subscriptions. */
    private final Map<String, Listening> listening = new HashMap<>();

    private ScheduledExecutorService unsubscriber;

    private final int minReplicasAcked;

    /** Names this store's own release channels; random, so every store (every JVM) has its own. */
    private final String listenerId = newListenerId();

    private final byte[] listenerIdBytes = bytes(this.listenerId);

    /** The lease in milliseconds, as the acquisition scripts take it. */
    private final DurationArgument leaseArgument = new DurationArgument(RedisLockStore::millis);

    /** How long a waiter stays queued, as the acquisition script takes it. */
    private final DurationArgument waitArgument = new DurationArgument(RedisLockStore::waiterMarker);

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
        this.minReplicasAcked = minReplicasAcked;
        this.releases = ReleaseSubscriptions.forFactory(connectionFactory);
    }

    @Override
    public LockAttempt tryAcquire(String key, String token, Duration lease) {
        return attempt(key, token, lease, LockScripts.ACQUIRE, bytes(token), this.leaseArgument.of(lease),
                NOT_WAITING);
    }

    @Override
    public LockAttempt tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
        return attempt(key, token, lease, LockScripts.ACQUIRE, bytes(token), this.leaseArgument.of(lease),
                this.waitArgument.of(retryWithin), takesGrants(), this.listenerIdBytes);
    }

    /**
     * @return the id that names this store's own release channels
     *         ({@link RedisKeys#releaseChannel(String, String)}): ten random characters of {@code [0-9a-z]}
     */
    public String listenerId() {
        return this.listenerId;
    }

    /** @return {@link #listenerId()} as the scripts take it (never modify) */
    byte[] listenerIdBytes() {
        return this.listenerIdBytes;
    }

    private static String newListenerId() {
        long bits = java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1;
        String id = Long.toString(bits, 36);
        return (id.length() >= 10) ? id.substring(0, 10) : "0".repeat(10 - id.length()) + id;
    }

    /**
     * Whether this store's waiters are passed the lock by releases ({@code "1"}), or only hear of them
     * ({@code "0"}): with {@code minReplicasAcked > 0} an acquisition counts only once replicas acknowledged it, which a
     * release in another process cannot wait for on the waiter's behalf, so its waiters take the lock themselves.
     */
    private byte[] takesGrants() {
        return (this.minReplicasAcked == 0) ? GRANTS : NO_GRANTS;
    }

    @Override
    public LockAttempt withdraw(String key, String token, Duration lease) {
        byte[][] keysAndArgs = keysAndArgs(lockKeys(key), new byte[][] { bytes(token), millis(lease) });
        return attempt(this.scripts.run(LockScripts.WITHDRAW, ReturnType.MULTI, 3, keysAndArgs));
    }

    @Override
    public void addGrantListener(GrantListener listener) {
        this.grantListeners.add(listener);
    }

    @Override
    public LockAttempt handOver(String key, String fromToken, String toToken, Duration lease, Duration retryWithin) {
        return handOver(key, fromToken, toToken, lease, retryWithin, false);
    }

    @Override
    public LockAttempt handOver(String key, String fromToken, String toToken, Duration lease, Duration retryWithin,
            boolean aheadOfOtherProcesses) {
        return attempt(key, toToken, lease, LockScripts.HAND_OVER, bytes(fromToken), bytes(toToken), millis(lease),
                this.keys.releaseChannelBytes(key), this.releases.publishCommand(),
                aheadOfOtherProcesses ? AHEAD : NOT_AHEAD);
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
            catch (RuntimeException ex) {
                this.scripts.callFailed();
                throw ex;
            }
        }
        return attempt(reply);
    }

    /**
     * @return the outcome an acquisition script answered: {@code [1, fencingToken]} or
     *         {@code [0, holderTtl(, lastFencingToken)]}
     */
    static LockAttempt attempt(List<?> reply) {
        if (((Number) reply.get(0)).longValue() == 1L) {
            return LockAttempt.acquired(((Number) reply.get(1)).longValue());
        }
        long ttl = ((Number) reply.get(1)).longValue();
        long lastFencingToken = (reply.size() > 2) ? ((Number) reply.get(2)).longValue() : 0;
        return LockAttempt.heldElsewhere(ttl >= 0 ? Duration.ofMillis(ttl) : null, lastFencingToken);
    }

    /** @return how many replicas must acknowledge each acquisition; {@code 0} does not wait */
    int minReplicasAcked() {
        return this.minReplicasAcked;
    }

    /** @return how keys are named */
    RedisKeys keys() {
        return this.keys;
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

    /**
     * Transient: too few replicas acknowledged (the lock was released again), or the connection broke with the
     * command in flight: an I/O error such as {@code java.net.SocketException: Connection reset} (what Lettuce
     * reports when a failover or {@code CLIENT KILL} resets the old master's connections), a closed channel, or
     * Lettuce's "Connection closed". Not transient: failing to connect ({@link java.net.ConnectException}) and
     * command timeouts.
     */
    @Override
    public boolean isTransient(RuntimeException failure) {
        if (failure instanceof ReplicaAcknowledgementException) {
            return true;
        }
        boolean brokenInFlight = false;
        for (Throwable cause = failure; cause != null; cause = (cause.getCause() == cause) ? null : cause.getCause()) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.util.concurrent.TimeoutException
                    || cause.getClass().getName().endsWith("ConnectTimeoutException")
                    || cause.getClass().getName().equals("io.lettuce.core.RedisCommandTimeoutException")) {
                return false;
            }
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof java.io.IOException
                    || (cause.getClass().getName().startsWith("io.lettuce.core.")
                            && (message.startsWith("Connection closed") || message.contains("Connection reset")))) {
                brokenInFlight = true;
            }
        }
        return brokenInFlight;
    }

    @Override
    public boolean renew(String key, String token, Duration lease) {
        return run(LockScripts.RENEW, new byte[][] { bytes(this.keys.lock(key)) }, bytes(token), millis(lease));
    }

    @Override
    public boolean release(String key, String token) {
        return run(LockScripts.RELEASE, lockKeys(key), bytes(token), this.keys.releaseChannelBytes(key),
                this.releases.publishCommand());
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

    byte[][] lockKeys(String key) {
        return this.keys.lockKeyBytes(key);
    }

    /**
     * A script argument made of a duration, kept while calls ask for the same duration again (they usually do: a
     * template's defaults). The bytes are shared between calls and never modified. Thread-safe.
     */
    private static final class DurationArgument {

        private final Function<Duration, byte[]> write;

        private volatile Made last;

        DurationArgument(Function<Duration, byte[]> write) {
            this.write = write;
        }

        byte[] of(Duration duration) {
            Made made = this.last;
            if (made == null || !made.duration().equals(duration)) {
                made = new Made(duration, this.write.apply(duration));
                this.last = made;
            }
            return made.text();
        }

        private record Made(Duration duration, byte[] text) {
        }
    }

    static byte[][] keysAndArgs(byte[][] keys, byte[][] args) {
        byte[][] all = Arrays.copyOf(keys, keys.length + args.length);
        System.arraycopy(args, 0, all, keys.length, args.length);
        return all;
    }

    /** How long a waiter's mark lives: until well after its next attempt. */
    static byte[] waiterMarker(Duration retryWithin) {
        return millis(retryWithin.plus(max(retryWithin, WAITER_MARGIN)));
    }

    /** @return the command the release scripts announce with: classic or sharded ({@link ReleaseSubscriptions}) */
    byte[] publishCommand() {
        return this.releases.publishCommand();
    }

    static byte[] bytes(String text) {
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
    public boolean awaitReleases(String key, Duration within) {
        Subscription subscription = listen(key);
        if (subscription == null) {
            return false;
        }
        if (subscription.fresh()) {
            // releases before the subscription was confirmed went unheard (Spring may confirm it before
            // addMessageListener returns): the caller looks again
            subscription.entry().awaitConfirmation(within);
            return true;
        }
        return false;
    }

    /**
     * As {@link #awaitReleases(String, Duration)}, for a caller that must not wait for Redis to confirm the
     * subscription ({@link ReactiveRedisLockStore}): the same per-lock subscription, shared with blocking waiters,
     * and matched by one {@link #stopAwaitingReleases(String)} as well. The first waiter of a lock subscribes
     * through Spring's listener container, which may block briefly: call it off event loops.
     * @param key the lock the caller waits for
     * @return completed with {@code true} once Redis confirmed a subscription that is new (the caller should look
     *         again then), or {@code false} at once when the subscription was already confirmed, or could not be
     *         made (the caller polls); the caller bounds how long it waits for it
     */
    public CompletableFuture<Boolean> awaitReleasesAsync(String key) {
        Subscription subscription = listen(key);
        if (subscription == null || !subscription.fresh()) {
            return CompletableFuture.completedFuture(false);
        }
        return subscription.entry().confirmed.thenApply(confirmed -> true);
    }

    /**
     * Counts one more waiter for the lock, subscribing to its release channel if nobody listens yet.
     * @return the lock's subscription, fresh if its releases until now may have gone unheard; null if it could
     *         not be made (the waiter polls)
     */
    private Subscription listen(String key) {
        synchronized (this.listening) {
            Listening entry = this.listening.get(key);
            boolean created = false;
            if (entry == null) {
                created = true;
                entry = new Listening(key, this.keys.releaseChannel(key, this.listenerId));
                try {
                    this.releases.subscribe(entry);
                }
                catch (RuntimeException ex) {
                    logger.warn("Could not subscribe to the releases of lock key: " + key + " on '"
                            + entry.channel + "'; its waiters poll", ex);
                    return null;
                }
                this.listening.put(key, entry);
            }
            entry.waiters++;
            return new Subscription(entry, created || !entry.confirmed.isDone());
        }
    }

    /** A waiter's view of a lock's subscription: whether releases until now may have gone unheard. */
    private record Subscription(Listening entry, boolean fresh) {
    }

    @Override
    public void stopAwaitingReleases(String key) {
        synchronized (this.listening) {
            Listening entry = this.listening.get(key);
            if (entry != null && --entry.waiters == 0) {
                entry.idleSince = System.nanoTime();
                unsubscriber().schedule(() -> unsubscribeIfIdle(entry), this.lingerNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Drops a lock's subscription once nobody in this JVM has waited for it for {@link #LINGER}: a hot lock keeps
     * its channel between waits instead of subscribing again each time.
     */
    private void unsubscribeIfIdle(Listening entry) {
        synchronized (this.listening) {
            if (entry.waiters == 0 && this.listening.get(entry.key) == entry
                    && System.nanoTime() - entry.idleSince >= this.lingerNanos - TimeUnit.MILLISECONDS.toNanos(1)) {
                this.listening.remove(entry.key);
                try {
                    this.releases.unsubscribe(entry);
                }
                catch (RuntimeException ex) {
                    logger.debug("Could not unsubscribe from '" + entry.channel + "'", ex);
                }
            }
        }
    }

    /** @param linger how long a release channel stays subscribed after its last waiter ({@link #LINGER}); for tests */
    void setLinger(Duration linger) {
        this.lingerNanos = linger.toNanos();
    }

    private ScheduledExecutorService unsubscriber() {
        synchronized (this.listening) {
            if (this.unsubscriber == null) {
                ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                    Thread thread = new Thread(runnable, "pielock-release-unsubscriber");
                    thread.setDaemon(true);
                    return thread;
                });
                this.unsubscriber = executor;
            }
            return this.unsubscriber;
        }
    }

    /** @return the locks whose releases this store listens for now (subscribed or lingering), for tests */
    Set<String> listeningTo() {
        synchronized (this.listening) {
            return Set.copyOf(this.listening.keySet());
        }
    }

    /**
     * A release's message that passed the lock to a waiter: {@code grant <fencing token> <lease in ms> <owner token>}.
     */
    record Grant(long fencingToken, long leaseMillis, String token) {

        private static final byte[] PREFIX = "grant ".getBytes(StandardCharsets.US_ASCII);

        static Grant parse(byte[] message) {
            if (message == null || message.length <= PREFIX.length
                    || !Arrays.equals(message, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
                return null;
            }
            long[] numbers = new long[2];
            int at = PREFIX.length;
            for (int i = 0; i < numbers.length; i++) {
                int start = at;
                for (; at < message.length && message[at] != ' '; at++) {
                    int digit = message[at] - '0';
                    if (digit < 0 || digit > 9 || at - start > 18) {
                        return null;
                    }
                    numbers[i] = numbers[i] * 10 + digit;
                }
                if (at == start || at >= message.length - 1) {
                    return null;
                }
                at++; // the space
            }
            return new Grant(numbers[0], numbers[1],
                    new String(message, at, message.length - at, StandardCharsets.UTF_8));
        }
    }

    /**
     * One lock's release channel, subscribed while threads of this JVM wait for the lock: hands its releases to
     * the listeners, and learns when Redis has confirmed the subscription (a release published before then is
     * not heard, so the first waiter waits briefly for it).
     */
    private final class Listening implements ReleaseSubscriptions.Channel {

        final String key;

        final String channel;

        final CompletableFuture<Void> confirmed = new CompletableFuture<>();

        /** Threads waiting now; guarded by {@code listening}. */
        int waiters;

        long idleSince;

        Listening(String key, String channel) {
            this.key = key;
            this.channel = channel;
        }

        @Override
        public String name() {
            return this.channel;
        }

        /**
         * A grant goes to the grant listeners only: the lock has a new owner, so the other waiters have nothing to
         * try (waking them would cost each JVM waiting for the lock a useless attempt per handover); only the
         * grant's own waiter, told by its listener, takes it. Any other message announces a release the waiters
         * act on.
         */
        @Override
        public void heard(byte[] message) {
            Grant grant = Grant.parse(message);
            if (grant != null) {
                RedisLockStore.this.grantListeners
                    .forEach(listener -> listener.granted(this.key, grant.token(), grant.fencingToken(),
                            Duration.ofMillis(grant.leaseMillis())));
                return;
            }
            RedisLockStore.this.listeners.forEach(listener -> listener.accept(this.key));
        }

        @Override
        public void subscribed() {
            this.confirmed.complete(null);
        }

        void awaitConfirmation(Duration within) {
            try {
                this.confirmed.get(min(within, SUBSCRIPTION_WAIT).toNanos(), TimeUnit.NANOSECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (ExecutionException | TimeoutException ex) {
                // not confirmed in time: the caller polls until it is
            }
        }
    }

    @Override
    public void destroy() throws Exception {
        synchronized (this.listening) {
            if (this.unsubscriber != null) {
                this.unsubscriber.shutdownNow();
            }
        }
        this.releases.close();
    }

    static byte[] millis(Duration duration) {
        return Long.toString(Math.max(1, duration.toMillis())).getBytes(StandardCharsets.US_ASCII);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
