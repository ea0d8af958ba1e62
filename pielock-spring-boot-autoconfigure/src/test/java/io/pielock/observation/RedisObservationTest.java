package io.pielock.observation;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.limiter.Limiter;
import io.pielock.limiter.LimiterUnavailableException;
import io.pielock.limiter.RateLimitStore;
import io.pielock.limiter.TimeUnit;
import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockStore;
import io.pielock.lock.LockTemplate;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.store.redis.RedisRateLimitStore;
import io.pielock.test.RedisServer;
import io.pielock.test.TestRedis;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The observation specification against a real Redis, plus what only Redis shows: a lease lost behind the
 * holder's back, and a store that cannot be reached.
 */
class RedisObservationTest extends AbstractObservationContractTest {

    private static final RedisKeys KEYS = new RedisKeys("pielock:");

    @Override
    protected LockStore newLockStore() {
        return new RedisLockStore(track(TestRedis.connectionFactory()), KEYS);
    }

    @Override
    protected RateLimitStore newRateLimitStore() {
        return new RedisRateLimitStore(track(TestRedis.connectionFactory()), KEYS);
    }

    @Override
    protected String storeTag() {
        return "redis";
    }

    private LettuceConnectionFactory unreachable() {
        return track(TestRedis.connectionFactory("127.0.0.1", RedisServer.freePort(), Duration.ofMillis(300)));
    }

    @Test
    void aRenewalThatFindsTheLockTakenCountsAFailedRenewalAndALostLease() {
        LockTemplate holder = observedTemplate(LockOptions.defaults().withExpires(Duration.ofMillis(600)));
        LockHandle handle = holder.lock(this.key);
        new StringRedisTemplate(track(TestRedis.connectionFactory())).delete(KEYS.lock(this.key));
        assertThat(otherProcess().tryAcquire(this.key).acquired()).isTrue();
        await(() -> !handle.isHeld(), "the renewal notices");
        assertThat(this.meters.get("pielock.lock.lease.lost").functionCounter().count()).isEqualTo(1);
        assertThat(this.meters.get("pielock.lock.renewals").tag("outcome", "failed").functionCounter().count())
            .isEqualTo(1);
        handle.release();
        assertThat(this.observations).hasObservationWithNameEqualTo("pielock.lock.held")
            .that()
            .hasLowCardinalityKeyValue("released", "lease-lost");
        assertThat(this.meters.get("pielock.lock.lease.lost").functionCounter().count())
            .as("counted once, not again at release").isEqualTo(1);
    }

    @Test
    void anUnreachableStoreIsOutcomeUnavailableWithTheStoreErrorAsTheObservationError() {
        LockTemplate template = new LockTemplate(new RedisLockStore(unreachable(), KEYS));
        track(template);
        template.setObserver(new LockObservations(this.observations));
        assertThatExceptionOfType(LockAcquisitionException.class).isThrownBy(() -> template.lock(this.key));
        assertThat(this.observations).hasSingleObservationThat()
            .hasNameEqualTo("pielock.lock.acquire")
            .hasLowCardinalityKeyValue("outcome", "unavailable")
            .hasLowCardinalityKeyValue("store", "redis")
            .assertThatError()
            .isNotNull();
    }

    @Test
    void anUnreachableLimiterStoreIsOutcomeUnavailableFailingClosedAndFailOpenFailingOpen() {
        Limiter closed = observedLimiter(new RedisRateLimitStore(unreachable(), KEYS), false);
        assertThatExceptionOfType(LimiterUnavailableException.class)
            .isThrownBy(() -> closed.allow(this.key, TimeUnit.SECOND, 5));
        Limiter open = observedLimiter(new RedisRateLimitStore(unreachable(), KEYS), true);
        assertThat(open.allow(this.key, TimeUnit.SECOND, 5, "search").allowed()).isTrue();
        assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("pielock.limiter.decision", 2)
            .hasAnObservation(o -> o.hasLowCardinalityKeyValue("outcome", "unavailable")
                .hasLowCardinalityKeyValue("name", "programmatic"))
            .hasAnObservation(o -> o.hasLowCardinalityKeyValue("outcome", "fail-open")
                .hasLowCardinalityKeyValue("name", "search")
                .hasHighCardinalityKeyValue("key", this.key));
    }
}
