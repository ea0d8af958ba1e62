package io.pielock.faults;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockResult;
import io.pielock.lock.LockTemplate;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.ReplicaAcknowledgementException;
import io.pielock.test.LockProcesses;
import io.pielock.test.RedisMasterReplica;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code min-replicas-acked}: an acquisition counts only once a replica has it (Redis {@code WAIT}), so a
 * failover to that replica cannot lose the lock. Against a real master with one real replica.
 */
class ReplicaAcknowledgementTest {

    private static final RedisKeys KEYS = LockProcesses.KEYS;

    private static final LockOptions OPTIONS = LockOptions.defaults().withExpires(Duration.ofSeconds(3));

    private static RedisMasterReplica redis;

    private final LockProcesses processes = new LockProcesses(() -> TestRedis
        .connectionFactory(redis.master().host(), redis.master().port(), Duration.ofSeconds(5)));

    private final LockTemplate template = this.processes.newProcess(OPTIONS, 1);

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
    void close() throws Exception {
        this.processes.close();
    }

    @Test
    void anAcquisitionCountsOnceTheReplicaHasIt() {
        LockResult result = this.template.tryAcquire(this.key);

        assertThat(result.acquired()).isTrue();
        assertThat(redis.replica().call("GET", KEYS.lock(this.key))).as("the replica holds the lock already")
            .isEqualTo(redis.master().call("GET", KEYS.lock(this.key)));
        assertThat(this.template.release(this.key).released()).isTrue();
    }

    @Test
    void aReplicaThatStopsAcknowledgingFailsTheAcquisitionAndLeavesNothingLocked() {
        redis.replica().pause();
        try {
            // still connected as far as the master knows: WAIT waits for it, and it never answers
            assertNotAcquiredAndNothingLeft();
        }
        finally {
            redis.replica().resume();
        }
        assertThat(this.template.tryAcquire(this.key).acquired()).as("works again once the replica is back")
            .isTrue();
    }

    @Test
    void aStoppedReplicaFailsTheAcquisitionAndLeavesNothingLocked() {
        redis.replica().stop();
        try {
            redis.awaitReplicaGone(Duration.ofSeconds(30));
            assertNotAcquiredAndNothingLeft();
        }
        finally {
            redis.replica().restart();
            redis.awaitReplicaOnline(Duration.ofSeconds(30));
        }
        assertThat(this.template.tryAcquire(this.key).acquired()).as("works again once the replica is back")
            .isTrue();
    }

    @Test
    void aCallQueuedBehindAcquisitionsTheReplicaDoesNotAcknowledgeTimesOutSayingSoNotBlamingAHolder()
            throws Exception {
        redis.replica().pause();
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<?> failing = first.submit(() -> this.template.lock(this.key));
            awaitBlockedInWait();

            assertThatThrownBy(() -> this.template.lock(this.key, OPTIONS.withTimeout(Duration.ofMillis(2500))))
                .isInstanceOf(LockAcquisitionException.class)
                .satisfies(ex -> assertThat(((LockAcquisitionException) ex).getReason())
                    .isEqualTo(LockAcquisitionException.Reason.TIMEOUT))
                .hasMessageContaining("attempts failed")
                .hasMessageContaining("min-replicas-acked=1")
                .hasMessageNotContaining("holder")
                .hasCauseInstanceOf(ReplicaAcknowledgementException.class);
            assertThatThrownBy(failing::get).hasCauseInstanceOf(LockAcquisitionException.class);
        }
        finally {
            redis.replica().resume();
            first.shutdownNow();
        }
    }

    @Test
    void anAcquisitionTheReplicaDoesNotAcknowledgeIsSentAgainWithinTheTimeoutAndSaysHowOftenItFailed() {
        redis.replica().pause();
        try {
            assertThatThrownBy(() -> this.template.lock(this.key, OPTIONS.withTimeout(Duration.ofMillis(1500))))
                .isInstanceOf(LockAcquisitionException.class)
                .satisfies(ex -> assertThat(((LockAcquisitionException) ex).getReason())
                    .isEqualTo(LockAcquisitionException.Reason.STORE_UNAVAILABLE))
                .hasMessageContaining("2 attempts failed")
                .hasMessageContaining("short of pielock.lock.min-replicas-acked=1")
                .hasCauseInstanceOf(ReplicaAcknowledgementException.class);
        }
        finally {
            redis.replica().resume();
        }
        assertThat(redis.master().call("EXISTS", KEYS.lock(this.key))).as("nothing left locked").isEqualTo(0L);
    }

    /** Waits until a client of the master blocks in {@code WAIT}. */
    private static void awaitBlockedInWait() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"1".equals(redis.master().info("clients", "blocked_clients"))) {
            assertThat(System.nanoTime()).as("an acquisition blocks in WAIT").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private void assertNotAcquiredAndNothingLeft() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> this.template.lock(this.key)).isInstanceOf(LockAcquisitionException.class)
            .hasMessageContaining(this.key)
            .hasMessageContaining("acknowledged by 0 of 1 replicas")
            .satisfies(ex -> assertThat(((LockAcquisitionException) ex).getReason())
                .isEqualTo(LockAcquisitionException.Reason.STORE_UNAVAILABLE))
            .hasCauseInstanceOf(ReplicaAcknowledgementException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by a third of the lease")
            .isLessThan(Duration.ofSeconds(10));
        assertThat(redis.master().call("EXISTS", KEYS.lock(this.key))).as("the lock it set was released")
            .isEqualTo(0L);
    }
}
