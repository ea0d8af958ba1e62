package io.pielock.faults;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockOptions;
import io.pielock.lock.ReactiveLockContext;
import io.pielock.lock.ReactiveLockHandle;
import io.pielock.lock.ReactiveLockTemplate;
import io.pielock.store.redis.ReactiveRedisLockStore;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.NonBlocking;
import io.pielock.test.RedisMasterReplica;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code min-replicas-acked} on the reactive lock: an acquisition counts only once a replica has it, as on the
 * blocking one, and nothing waits on an event loop (BlockHound is installed). Against a real master and replica.
 */
class ReactiveReplicaAcknowledgementTest {

    private static final RedisKeys KEYS = new RedisKeys("pielock:");

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static RedisMasterReplica redis;

    private final LettuceConnectionFactory factory = TestRedis.connectionFactory(redis.master().host(),
            redis.master().port(), Duration.ofSeconds(5));

    private final RedisLockStore blocking = new RedisLockStore(this.factory, KEYS, 1);

    private final ReactiveLockTemplate template = new ReactiveLockTemplate(
            new ReactiveRedisLockStore(this.factory, this.blocking),
            LockOptions.defaults().withExpires(Duration.ofSeconds(3)));

    private final String key = "replicated:" + UUID.randomUUID();

    @BeforeAll
    static void startMasterAndReplica() {
        NonBlocking.install();
        redis = RedisMasterReplica.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @AfterEach
    void close() throws Exception {
        this.template.close();
        this.blocking.destroy();
        this.factory.destroy();
    }

    @Test
    void aReactiveAcquisitionCountsOnceTheReplicaHasIt() {
        StepVerifier.create(this.template.execute(this.key, ReactiveLockContext.current()
            .flatMap(handle -> Mono.fromCallable(() -> redis.replica().call("GET", KEYS.lock(this.key)) != null)
                .subscribeOn(Schedulers.boundedElastic()))))
            .expectNext(true)
            .verifyComplete();
    }

    @Test
    void aReplicaThatStopsAcknowledgingFailsTheReactiveAcquisitionAndLeavesNothingLocked() {
        redis.replica().pause();
        try {
            StepVerifier.create(this.template.lock(this.key, this.template.defaults().withTimeout(Duration.ZERO)))
                .expectError(LockAcquisitionException.class)
                .verify(PATIENCE);
        }
        finally {
            redis.replica().resume();
        }
        assertThat(redis.master().call("EXISTS", KEYS.lock(this.key))).isEqualTo(0L);
        ReactiveLockHandle handle = this.template.tryAcquire(this.key).block(PATIENCE);
        assertThat(handle).as("free once the replica answers again").isNotNull();
        handle.release().block(PATIENCE);
    }
}
