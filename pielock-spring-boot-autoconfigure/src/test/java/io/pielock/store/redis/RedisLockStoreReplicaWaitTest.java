package io.pielock.store.redis;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.lock.LockAttempt;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockResult;
import io.pielock.lock.LockTemplate;
import io.pielock.test.RedisMasterReplica;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store's side of {@code min-replicas-acked}: an acquisition waits (Redis {@code WAIT}) a third of its lease
 * for the replicas, at least 1 ms and at most {@link RedisLockStore#MAX_REPLICA_WAIT}; too few acknowledgements
 * release the lock again; an attempt that did not take the lock waits for nothing. Against a real master with one
 * real replica: asking for two replicas makes every acquisition fall short. (How {@code LockTemplate} reports
 * this, and what pausing or stopping the replica does, is {@code faults.ReplicaAcknowledgementTest}.)
 */
class RedisLockStoreReplicaWaitTest {

    private static final RedisKeys KEYS = new RedisKeys("pielock:");

    private static RedisMasterReplica redis;

    private final LettuceConnectionFactory factory = TestRedis.connectionFactory(redis.master().host(),
            redis.master().port(), Duration.ofSeconds(5));

    private final String key = "replicated:" + UUID.randomUUID();

    @BeforeAll
    static void startMasterAndReplica() {
        redis = RedisMasterReplica.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @AfterEach
    void close() {
        this.factory.destroy();
    }

    @Test
    void anAcquisitionTheReplicaAcknowledgesIsHeldAndOnTheReplicaAlready() throws Exception {
        RedisLockStore store = new RedisLockStore(this.factory, KEYS, 1);
        try {
            LockAttempt attempt = store.tryAcquire(this.key, "owner", Duration.ofSeconds(30));

            assertThat(attempt.acquired()).isTrue();
            assertThat(redis.replica().call("GET", KEYS.lock(this.key))).as("the lock on the replica")
                .isEqualTo("owner");
            assertThat(store.release(this.key, "owner")).isTrue();
        }
        finally {
            store.destroy();
        }
    }

    @ParameterizedTest(name = "a lease of {0} ms waits {1} ms")
    @CsvSource({ "300, 100", "6000, 1000", "2, 1" })
    void tooFewAcknowledgementsWithinAThirdOfTheLeaseBoundedToOneMsAndOneSecondReleaseTheLockAgain(long leaseMillis,
            long waitMillis) throws Exception {
        RedisLockStore store = new RedisLockStore(this.factory, KEYS, 2);
        try {
            assertThatThrownBy(() -> store.tryAcquire(this.key, "owner", Duration.ofMillis(leaseMillis)))
                .isInstanceOf(ReplicaAcknowledgementException.class)
                .hasMessageMatching("Lock key: " + this.key + " was acknowledged by [01] of 2 replicas within "
                        + waitMillis + " ms, short of pielock.lock.min-replicas-acked=2; it was released again, "
                        + "not acquired");
            assertThat(redis.master().call("EXISTS", KEYS.lock(this.key))).as("the lock left in Redis")
                .isEqualTo(0L);
        }
        finally {
            store.destroy();
        }
    }

    @Test
    void anAttemptOnALockHeldElsewhereWaitsForNoReplicaAndSaysWhoHoldsIt() throws Exception {
        RedisLockStore holder = new RedisLockStore(this.factory, KEYS);
        RedisLockStore store = new RedisLockStore(this.factory, KEYS, 2);
        try {
            assertThat(holder.tryAcquire(this.key, "holder", Duration.ofSeconds(30)).acquired()).isTrue();

            LockAttempt attempt = store.tryAcquire(this.key, "waiter", Duration.ofSeconds(30));

            assertThat(attempt.acquired()).isFalse();
            assertThat(attempt.holderTtl()).isPositive();
            assertThat(redis.master().call("GET", KEYS.lock(this.key))).as("the holder keeps it").isEqualTo("holder");
        }
        finally {
            holder.release(this.key, "holder");
            store.destroy();
            holder.destroy();
        }
    }

    @Test
    void aWaiterThatDoesNotTakeGrantsIsWokenByTheReleaseAnnouncement() throws Exception {
        // with min-replicas-acked, a release cannot pass the lock on (the new owner's acquisition must be
        // acknowledged on its own connection): it announces the release, and the waiter takes the lock itself
        RedisLockStore holderStore = new RedisLockStore(this.factory, KEYS, 1);
        RedisLockStore waiterStore = new RedisLockStore(this.factory, KEYS, 1);
        LockTemplate holder = new LockTemplate(holderStore);
        // a fallback poll far beyond the test: only the announcement can wake the waiter in time
        LockTemplate waiter = new LockTemplate(waiterStore, LockOptions.defaults()
            .withRetryAfter(Duration.ofSeconds(60))
            .withTimeout(Duration.ofSeconds(60)));
        try {
            LockHandle held = holder.lock(this.key);
            java.util.concurrent.CompletableFuture<LockResult> waited = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> waiter.acquire(this.key));
            long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (waiterStore.listeningTo().isEmpty() && System.nanoTime() < giveUp) {
                Thread.sleep(5);
            }
            Thread.sleep(300); // subscribed: it looks once more, then waits
            held.close();
            LockResult result = waited.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(result.acquired()).isTrue();
        }
        finally {
            waiter.close();
            holder.close();
            waiterStore.destroy();
            holderStore.destroy();
        }
    }
}
