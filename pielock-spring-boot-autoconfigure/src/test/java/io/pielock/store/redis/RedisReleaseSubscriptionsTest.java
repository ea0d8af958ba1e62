package io.pielock.store.redis;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the Redis store listens for a lock's releases on behalf of this JVM's waiting threads: the first waiter
 * subscribes (and must look again, as releases before the subscription went unheard), later ones join it, and
 * the subscription outlives its last waiter by {@link RedisLockStore#LINGER}, so a thread that comes back soon
 * finds it still there.
 */
class RedisReleaseSubscriptionsTest {

    private final LettuceConnectionFactory factory = TestRedis.connectionFactory();

    private final RedisLockStore store = new RedisLockStore(this.factory, new RedisKeys("pielock:"));

    private final String key = "test:" + UUID.randomUUID();

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
        Thread.sleep(RedisLockStore.LINGER.plusSeconds(1).toMillis());
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
            .isGreaterThanOrEqualTo(RedisLockStore.LINGER.minusMillis(1));
        assertThat(this.store.awaitReleases(this.key, Duration.ofSeconds(2)))
            .as("a later waiter subscribes anew").isTrue();
        this.store.stopAwaitingReleases(this.key);
    }
}
