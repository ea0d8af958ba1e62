package io.pielock.store.redis;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.autoconfigure.PielockAutoConfiguration;
import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitAttempt;
import io.pielock.limiter.LimitResult;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.WindowState;
import io.pielock.test.RedisServer;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis rate limit store remembers a denial until the call could first fit, and denies such calls without a
 * round trip: counted with {@code INFO commandstats} on a Redis of this test's own, which nothing else uses.
 */
class RememberedDenialsTest {

    private static final RedisKeys KEYS = new RedisKeys("pielock:");

    private static final Limit TWO_PER_MINUTE = Limit.of(2, Duration.ofMinutes(1));

    private static RedisServer redis;

    private LettuceConnectionFactory connections;

    private final String key = "remembered-" + UUID.randomUUID();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void closeConnections() {
        if (this.connections != null) {
            this.connections.destroy();
        }
    }

    private RedisRateLimitStore store(boolean rememberDenials) {
        if (this.connections == null) {
            this.connections = TestRedis.connectionFactory(redis.host(), redis.port(), Duration.ofSeconds(5));
        }
        return new RedisRateLimitStore(this.connections, KEYS, rememberDenials);
    }

    private static long scriptCalls() {
        String stats = redis.info("commandstats", "cmdstat_evalsha");
        if (stats == null) {
            return 0;
        }
        return Long.parseLong(stats.substring("calls=".length(), stats.indexOf(',')));
    }

    @Test
    void aDeniedCallIsDeniedWithoutRedisUntilItsRetryAfterHasPassedThenRedisDecidesAgain() throws Exception {
        RedisRateLimitStore store = store(true);
        List<Limit> limits = List.of(Limit.of(2, Duration.ofSeconds(2)));
        assertThat(store.tryConsume(this.key, limits).allowed()).isTrue();
        assertThat(store.tryConsume(this.key, limits).allowed()).isTrue();
        long sent = System.nanoTime();
        LimitAttempt denied = store.tryConsume(this.key, limits);
        assertThat(denied.allowed()).isFalse();
        long asked = scriptCalls();

        Duration previous = denied.windows().get(0).retryAfter();
        for (int i = 0; i < 200; i++) {
            LimitAttempt again = store.tryConsume(this.key, limits);
            assertThat(again.allowed()).isFalse();
            WindowState window = again.windows().get(0);
            assertThat(window.remaining()).isZero();
            assertThat(window.retryAfter()).as("counted down from Redis's answer")
                .isLessThanOrEqualTo(previous).isPositive();
            previous = window.retryAfter();
            assertThat(again.cost()).isEqualTo(1);
        }
        assertThat(scriptCalls()).as("Redis was not asked again while the denial held").isEqualTo(asked);

        Thread.sleep(Math.max(0, Duration.ofNanos(sent + denied.windows().get(0).retryAfter().toNanos()
                - System.nanoTime()).toMillis() + 2));
        assertThat(store.tryConsume(this.key, limits).allowed()).as("room again once retry-after has passed")
            .isTrue();
        assertThat(scriptCalls()).as("Redis decided that call").isEqualTo(asked + 1);
    }

    @Test
    void aCallOfAnotherCostOrOtherLimitsAsksRedis() {
        RedisRateLimitStore store = store(true);
        Limit fourPerMinute = Limit.of(4, Duration.ofMinutes(1));
        assertThat(store.tryConsume(this.key, List.of(fourPerMinute), 3).allowed()).isTrue();
        assertThat(store.tryConsume(this.key, List.of(fourPerMinute), 2).allowed()).isFalse();
        long asked = scriptCalls();

        assertThat(store.tryConsume(this.key, List.of(fourPerMinute), 2).allowed()).isFalse();
        assertThat(scriptCalls()).as("the same cost: remembered").isEqualTo(asked);
        assertThat(store.tryConsume(this.key, List.of(fourPerMinute), 1).allowed())
            .as("a smaller cost fits, and Redis says so").isTrue();
        assertThat(scriptCalls()).isEqualTo(asked + 1);
        assertThat(store.tryConsume(this.key, List.of(Limit.of(10, Duration.ofMinutes(1))), 2).allowed())
            .as("a larger count on the same window fits, and Redis says so").isTrue();
        assertThat(scriptCalls()).isEqualTo(asked + 2);
    }

    @Test
    void aRefundForgetsTheKeysDenialSoTheRoomItGivesBackIsUsedAtOnce() {
        RedisRateLimitStore store = store(true);
        List<Limit> limits = List.of(TWO_PER_MINUTE);
        LimitAttempt first = store.tryConsume(this.key, limits);
        assertThat(store.tryConsume(this.key, limits).allowed()).isTrue();
        assertThat(store.tryConsume(this.key, limits).allowed()).isFalse();

        store.refund(this.key, first);

        long asked = scriptCalls();
        assertThat(store.tryConsume(this.key, limits).allowed()).as("the refunded call's room").isTrue();
        assertThat(scriptCalls()).isEqualTo(asked + 1);
    }

    @Test
    void turnedOffEveryCallAsksRedis() {
        RedisRateLimitStore store = store(false);
        List<Limit> limits = List.of(TWO_PER_MINUTE);
        store.tryConsume(this.key, limits);
        store.tryConsume(this.key, limits);
        long asked = scriptCalls();
        for (int i = 0; i < 5; i++) {
            assertThat(store.tryConsume(this.key, limits).allowed()).isFalse();
        }
        assertThat(scriptCalls()).isEqualTo(asked + 5);
    }

    @Test
    void theReactiveStoreRemembersDenialsToo() {
        LettuceConnectionFactory factory = TestRedis.connectionFactory(redis.host(), redis.port(),
                Duration.ofSeconds(5));
        try {
            ReactiveRedisRateLimitStore store = new ReactiveRedisRateLimitStore(factory, KEYS);
            List<Limit> limits = List.of(Limit.of(1, Duration.ofMinutes(1)));
            assertThat(store.tryConsume(this.key, limits).block().allowed()).isTrue();
            assertThat(store.tryConsume(this.key, limits).block().allowed()).isFalse();
            long asked = scriptCalls();
            for (int i = 0; i < 20; i++) {
                assertThat(store.tryConsume(this.key, limits).block().allowed()).isFalse();
            }
            assertThat(scriptCalls()).isEqualTo(asked);

            ReactiveRedisRateLimitStore off = new ReactiveRedisRateLimitStore(factory, KEYS, false);
            assertThat(off.tryConsume(this.key, limits).block().allowed()).isFalse();
            assertThat(off.tryConsume(this.key, limits).block().allowed()).isFalse();
            assertThat(scriptCalls()).isEqualTo(asked + 2);
        }
        finally {
            factory.destroy();
        }
    }

    @Test
    void theApplicationsLimiterRemembersDenialsUnlessThePropertyTurnsItOff() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, PielockAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port());
        runner.run(context -> {
            assertThat(scriptCallsForDeniedCalls(context.getBean(Limiter.class), "on")).as("remembered by default")
                .isZero();
            assertThat(context.getBean(Limiter.class).remembersDenials()).as("says so").isTrue();
        });
        runner.withPropertyValues("pielock.limiter.remember-denials=false").run(context -> {
            assertThat(scriptCallsForDeniedCalls(context.getBean(Limiter.class), "off"))
                .as("pielock.limiter.remember-denials=false").isEqualTo(10);
            assertThat(context.getBean(Limiter.class).remembersDenials()).as("says so").isFalse();
        });
    }

    /** @return how many scripts ten denied calls ran, after a first denial */
    private long scriptCallsForDeniedCalls(Limiter limiter, String suffix) {
        String name = this.key + suffix;
        assertThat(limiter.allow(name, Duration.ofMinutes(1), 1).allowed()).isTrue();
        assertThat(limiter.allow(name, Duration.ofMinutes(1), 1).allowed()).isFalse();
        long asked = scriptCalls();
        for (int i = 0; i < 10; i++) {
            LimitResult result = limiter.allow(name, Duration.ofMinutes(1), 1);
            assertThat(result.allowed()).isFalse();
            assertThat(result.retryAfter()).isPositive();
        }
        return scriptCalls() - asked;
    }

    @Test
    void atMostCapacityKeysAreRememberedAndExpiredOnesMakeRoom() throws Exception {
        RememberedDenials denials = new RememberedDenials(true);
        List<Limit> limits = List.of(TWO_PER_MINUTE);
        long now = System.nanoTime();
        for (int i = 0; i < RememberedDenials.CAPACITY; i++) {
            denials.remember("k" + i, limits, 1, now, denials.refundsSoFar(), denied(Duration.ofMinutes(1)));
        }
        denials.remember("one-too-many", limits, 1, now, denials.refundsSoFar(), denied(Duration.ofMinutes(1)));
        assertThat(denials.size()).isEqualTo(RememberedDenials.CAPACITY);
        assertThat(denials.recall("one-too-many", limits, 1)).as("not remembered: all are current").isNull();
        assertThat(denials.recall("k7", limits, 1)).isNotNull();

        RememberedDenials expiring = new RememberedDenials(true);
        for (int i = 0; i < RememberedDenials.CAPACITY; i++) {
            expiring.remember("k" + i, limits, 1, now, 0, denied(Duration.ofMillis(1)));
        }
        Thread.sleep(5);
        expiring.remember("late", limits, 1, System.nanoTime(), 0, denied(Duration.ofMinutes(1)));
        assertThat(expiring.size()).as("the expired were swept out").isEqualTo(1);
        assertThat(expiring.recall("late", limits, 1)).isNotNull();
    }

    @Test
    void anAnswerARefundMayHaveOvertakenIsNotRemembered() {
        RememberedDenials denials = new RememberedDenials(true);
        List<Limit> limits = List.of(TWO_PER_MINUTE);
        long before = denials.refundsSoFar();
        denials.refunding("other");
        denials.remember("k", limits, 1, System.nanoTime(), before, denied(Duration.ofMinutes(1)));
        assertThat(denials.recall("k", limits, 1)).isNull();
        denials.remember("k", limits, 1, System.nanoTime(), denials.refundsSoFar(), denied(Duration.ofMinutes(1)));
        assertThat(denials.recall("k", limits, 1)).isNotNull();
        denials.refunding("k");
        assertThat(denials.recall("k", limits, 1)).as("forgotten by the key's refund").isNull();
    }

    private static LimitAttempt denied(Duration retryAfter) {
        return new LimitAttempt(false, List.of(new WindowState(TWO_PER_MINUTE, 0, retryAfter, 0)), 1);
    }
}
