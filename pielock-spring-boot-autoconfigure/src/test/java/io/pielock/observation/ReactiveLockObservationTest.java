package io.pielock.observation;

import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import io.pielock.lock.LockOptions;
import io.pielock.lock.ReactiveLockHandle;
import io.pielock.lock.ReactiveLockStore;
import io.pielock.lock.ReactiveLockTemplate;
import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.store.memory.InMemoryReactiveLockStore;
import io.pielock.store.redis.ReactiveRedisLockStore;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.NonBlocking;
import io.pielock.test.TestRedis;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The reactive template reports to the same observer, with the same names and tags, as the blocking one. */
class ReactiveLockObservationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final TestObservationRegistry observations = TestObservationRegistry.create();

    private final String key = "reactive:" + UUID.randomUUID();

    @BeforeAll
    static void installBlockHound() {
        NonBlocking.install();
    }

    private ReactiveLockTemplate observed(ReactiveLockStore store) {
        ReactiveLockTemplate template = new ReactiveLockTemplate(store, LockOptions.defaults());
        LockObservations observer = new LockObservations(this.observations);
        observer.bindTo(new SimpleMeterRegistry());
        template.setObserver(observer);
        return template;
    }

    @Test
    void anExecuteIsOneAcquisitionAndOneHoldTaggedWithTheMemoryStore() {
        InMemoryReactiveLockStore store = new InMemoryReactiveLockStore(new InMemoryLockStore());
        try (ReactiveLockTemplate template = observed(store)) {
            template.execute(this.key, LockOptions.defaults().withName("reserve"), Mono.just(1)).block(PATIENCE);
        }
        assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("pielock.lock.acquire", 1)
            .hasObservationWithNameEqualTo("pielock.lock.acquire")
            .that()
            .hasBeenStopped()
            .hasLowCardinalityKeyValue("outcome", "acquired")
            .hasLowCardinalityKeyValue("store", "memory")
            .hasLowCardinalityKeyValue("name", "reserve")
            .hasHighCardinalityKeyValue("key", this.key);
        assertThat(this.observations).hasObservationWithNameEqualTo("pielock.lock.held")
            .that()
            .hasBeenStopped()
            .hasLowCardinalityKeyValue("released", "released");
    }

    @Test
    void aCancelledWaitEndsItsAcquisitionAndTheRedisStoreIsTaggedRedis() throws Exception {
        LettuceConnectionFactory factory = TestRedis.connectionFactory();
        RedisLockStore blocking = new RedisLockStore(factory, new RedisKeys("pielock:"));
        try (ReactiveLockTemplate template = observed(new ReactiveRedisLockStore(factory, blocking))) {
            ReactiveLockHandle held = template.lock(this.key).block(PATIENCE);
            Disposable waiting = template.lock(this.key).subscribe();
            waiting.dispose();
            held.release().block(PATIENCE);
        }
        finally {
            blocking.destroy();
            factory.destroy();
        }
        assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("pielock.lock.acquire", 2)
            .hasAnObservation(o -> o.hasNameEqualTo("pielock.lock.acquire")
                .hasLowCardinalityKeyValue("outcome", "acquired").hasLowCardinalityKeyValue("store", "redis"))
            .hasAnObservation(o -> o.hasNameEqualTo("pielock.lock.acquire")
                .hasLowCardinalityKeyValue("outcome", "interrupted"));
    }
}
