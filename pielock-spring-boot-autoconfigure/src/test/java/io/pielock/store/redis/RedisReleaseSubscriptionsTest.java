package io.pielock.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.async.RedisAsyncCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.test.RedisServer;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the Redis store listens for a lock's releases on behalf of this JVM's waiting threads: the first waiter
 * subscribes (and must look again, as releases before the subscription went unheard), later ones join it, and
 * the subscription outlives its last waiter by {@link RedisLockStore#LINGER}, so a thread that comes back soon
 * finds it still there.
 */
class RedisReleaseSubscriptionsTest {

    /** Shorter than {@link RedisLockStore#LINGER}, so that tests waiting for it take less time. */
    private static final Duration LINGER = Duration.ofSeconds(1);

    private final LettuceConnectionFactory factory = TestRedis.connectionFactory();

    private final RedisLockStore store = new RedisLockStore(this.factory, new RedisKeys("pielock:"));

    private final String key = "test:" + UUID.randomUUID();

    @BeforeEach
    void shortLinger() {
        this.store.setLinger(LINGER);
    }

    @AfterEach
    void close() throws Exception {
        this.store.destroy();
        this.factory.destroy();
    }

    @Test
    void theFirstWaiterSubscribesAndLooksAgainWhileLaterWaitersJoinTheConfirmedSubscription() {
        assertThat(this.store.awaitReleases(this.key, Duration.ofSeconds(2)))
            .as("the first waiter: releases until now went unheard").isTrue();
        assertThat(this.store.listeningTo()).containsExactly(this.key);
        assertThat(this.store.awaitReleases(this.key, Duration.ofSeconds(2)))
            .as("a second waiter joins the confirmed subscription").isFalse();
        this.store.stopAwaitingReleases(this.key);
        this.store.stopAwaitingReleases(this.key);
        assertThat(this.store.listeningTo()).as("lingering after its last waiter").containsExactly(this.key);
    }

    @Test
    void aSubscriptionStaysWhileAThreadWaitsAndEndsOnceNoneHasWaitedForTheLinger() throws Exception {
        this.store.awaitReleases(this.key, Duration.ofSeconds(2));
        this.store.stopAwaitingReleases(this.key);
        assertThat(this.store.awaitReleases(this.key, Duration.ofSeconds(2)))
            .as("back within the linger: the same subscription").isFalse();
        Thread.sleep(LINGER.plusMillis(500).toMillis());
        assertThat(this.store.listeningTo()).as("still waited for after the first linger ran out")
            .containsExactly(this.key);
        this.store.stopAwaitingReleases(this.key);
        long stoppedAt = System.nanoTime();
        long giveUp = stoppedAt + TimeUnit.SECONDS.toNanos(20);
        while (!this.store.listeningTo().isEmpty() && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
        assertThat(this.store.listeningTo()).as("unsubscribed once nobody waited for the linger").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).as("not before the linger")
            .isGreaterThanOrEqualTo(LINGER.minusMillis(1));
        assertThat(this.store.awaitReleases(this.key, Duration.ofSeconds(2)))
            .as("a later waiter subscribes anew").isTrue();
        this.store.stopAwaitingReleases(this.key);
    }

    @Test
    void theLingerCountsFromTheLastWaitersDepartureNotTheFirsts() throws Exception {
        this.store.awaitReleases(this.key, Duration.ofSeconds(2));
        this.store.stopAwaitingReleases(this.key);
        long firstLeft = System.nanoTime();
        Thread.sleep(LINGER.dividedBy(2).toMillis());
        assertThat(this.store.awaitReleases(this.key, Duration.ofSeconds(2))).as("the same subscription").isFalse();
        this.store.stopAwaitingReleases(this.key);
        long lastLeft = System.nanoTime();
        // past one linger after the first departure, within one after the last
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(firstLeft + LINGER.toNanos() - System.nanoTime())) + 200);
        if (System.nanoTime() - lastLeft < LINGER.toNanos() - TimeUnit.MILLISECONDS.toNanos(50)) {
            assertThat(this.store.listeningTo()).as("a linger after the first waiter left, but not the last")
                .containsExactly(this.key);
        }
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!this.store.listeningTo().isEmpty() && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
        assertThat(this.store.listeningTo()).as("unsubscribed a linger after the last waiter left").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - lastLeft)).isGreaterThanOrEqualTo(LINGER.minusMillis(1));
    }

    @Test
    void aFirstWaiterGoesOnOnlyOnceRedisHasItsSubscription() {
        // Lettuce and Spring subscribe asynchronously: a waiter that looked again before Redis had the
        // subscription could miss a release in between, so the first waiter waits for the confirmation
        for (int i = 0; i < 20; i++) {
            String lock = this.key + ":" + i;
            assertThat(this.store.awaitReleases(lock, Duration.ofSeconds(10))).isTrue();
            assertThat(subscribers(lock)).as("subscribers of the release channel of %s once its first waiter "
                    + "goes on", lock).isEqualTo(1L);
            this.store.stopAwaitingReleases(lock);
        }
    }

    @Test
    void destroyingTheStoreEndsItsSubscriptionsInRedis() throws Exception {
        assertThat(this.store.awaitReleases(this.key, Duration.ofSeconds(10))).isTrue();
        assertThat(subscribers(this.key)).isEqualTo(1L);

        this.store.destroy();

        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (subscribers(this.key) != 0 && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
        assertThat(subscribers(this.key)).as("subscribers left once the store is destroyed").isZero();
    }

    @Test
    void theThreadThatEndsLingeringSubscriptionsNeverKeepsTheJvmAlive() {
        this.store.awaitReleases(this.key, Duration.ofSeconds(10));
        this.store.stopAwaitingReleases(this.key);
        Set<Thread> unsubscribers = Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().equals("pielock-release-unsubscriber"))
            .collect(java.util.stream.Collectors.toSet());
        assertThat(unsubscribers).as("the unsubscriber scheduled to end the lingering subscription").isNotEmpty()
            .allMatch(Thread::isDaemon);
    }

    @Test
    void aNonBlockingFirstWaiterLearnsOnceRedisHasTheSubscriptionAndLaterOnesAtOnce() throws Exception {
        CompletableFuture<Boolean> first = this.store.awaitReleasesAsync(this.key);
        assertThat(first.get(10, TimeUnit.SECONDS)).as("the first waiter: releases until now went unheard").isTrue();
        assertThat(subscribers(this.key)).isEqualTo(1L);
        assertThat(this.store.awaitReleasesAsync(this.key)).as("a second waiter joins the confirmed subscription")
            .isCompletedWithValue(false);
        assertThat(this.store.awaitReleases(this.key, Duration.ofSeconds(10)))
            .as("a blocking waiter shares the same subscription").isFalse();
        this.store.stopAwaitingReleases(this.key);
        this.store.stopAwaitingReleases(this.key);
        this.store.stopAwaitingReleases(this.key);
        assertThat(this.store.listeningTo()).as("lingering after its last waiter").containsExactly(this.key);
    }

    @Test
    void withoutRedisWaitersAreToldToPollInsteadOfWaitingForASubscription() throws Exception {
        LettuceConnectionFactory nowhere = TestRedis.connectionFactory("127.0.0.1", RedisServer.freePort(),
                Duration.ofMillis(300));
        RedisLockStore unreachable = new RedisLockStore(nowhere, new RedisKeys("pielock:"));
        try {
            assertThat(unreachable.awaitReleases(this.key, Duration.ofSeconds(10))).isFalse();
            assertThat(unreachable.awaitReleasesAsync(this.key)).isCompletedWithValue(false);
            assertThat(unreachable.listeningTo()).as("no subscription kept").isEmpty();
        }
        finally {
            unreachable.destroy();
            nowhere.destroy();
        }
    }

    @Test
    void aStoreReportsTheReplicaCountKeyNamingAndPublishCommandItsReactiveTwinShares() throws Exception {
        RedisKeys keys = new RedisKeys("shop:");
        RedisLockStore replicated = new RedisLockStore(this.factory, keys, 2);
        try {
            assertThat(replicated.minReplicasAcked()).isEqualTo(2);
            assertThat(replicated.keys()).isSameAs(keys);
            assertThat(new String(replicated.publishCommand(), StandardCharsets.US_ASCII)).isEqualTo("PUBLISH");
        }
        finally {
            replicated.destroy();
        }
    }

    /**
     * @return how many stores Redis has subscribed to the release channels of {@code lock} (each waiting store has
     *         its own: {@code <release channel>:<listener>})
     */
    @SuppressWarnings("unchecked")
    private long subscribers(String lock) {
        try (RedisConnection connection = this.factory.getConnection()) {
            byte[] pattern = (new RedisKeys("pielock:").releaseChannel(lock) + ":*").getBytes(StandardCharsets.UTF_8);
            return ((RedisAsyncCommands<byte[], byte[]>) connection.getNativeConnection()).pubsubChannels(pattern)
                .get(10, TimeUnit.SECONDS).size();
        }
        catch (Exception ex) {
            throw new IllegalStateException("PUBSUB CHANNELS failed", ex);
        }
    }
}
