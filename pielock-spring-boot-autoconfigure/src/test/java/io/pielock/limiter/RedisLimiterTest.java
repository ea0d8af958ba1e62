package io.pielock.limiter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;

import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisRateLimitStore;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limit specification against a real Redis; each "process" has its own connections. Plus what only
 * Redis can show: the keys written, their expiry, their size, and whose clock stamps the calls.
 */
class RedisLimiterTest extends AbstractLimiterContractTest {

    static final RedisKeys KEYS = new RedisKeys("pielock:");

    private final List<LettuceConnectionFactory> connections = new ArrayList<>();

    private StringRedisTemplate redis;

    @AfterEach
    void closeConnections() {
        this.connections.forEach(LettuceConnectionFactory::destroy);
    }

    @Override
    protected RateLimitStore newStore() {
        return new RedisRateLimitStore(connect(), KEYS);
    }

    /** @return a started connection factory for the Redis under test, closed after each test */
    protected final LettuceConnectionFactory connect() {
        LettuceConnectionFactory factory = newConnectionFactory();
        this.connections.add(factory);
        return factory;
    }

    /** @return a started connection factory for the Redis under test */
    protected LettuceConnectionFactory newConnectionFactory() {
        return TestRedis.connectionFactory();
    }

    @Override
    protected boolean holdsCalls(String key, Limit limit) {
        return redis().hasKey(KEYS.limit(key, limit.window()));
    }

    private StringRedisTemplate redis() {
        if (this.redis == null) {
            this.redis = new StringRedisTemplate(connect());
        }
        return this.redis;
    }

    @Test
    void callsAreCountedInASortedSetPerWindowThatExpiresAfterTheWindow() {
        newProcess().allow(this.key, TimeUnit.MINUTE, 2);
        String setKey = "pielock:limit:{" + this.key + "}:60000ms";
        assertThat(redis().opsForZSet().size(setKey)).isEqualTo(1);
        assertThat(redis().getExpire(setKey, java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(1L, 60_000L);
    }

    @Test
    void aKeyNeverHoldsMoreThanCountCalls() {
        Limiter limiter = newProcess();
        for (int i = 0; i < 50; i++) {
            limiter.allow(this.key, TimeUnit.MINUTE, 3);
        }
        assertThat(redis().opsForZSet().size(KEYS.limit(this.key, TimeUnit.MINUTE.duration()))).isEqualTo(3);
    }

    @Test
    void callsAreStampedWithTheRedisServersClock() {
        long before = serverTimeMillis();
        newProcess().allow(this.key, TimeUnit.MINUTE, 2);
        long after = serverTimeMillis();
        Set<TypedTuple<String>> calls = redis().opsForZSet()
            .rangeWithScores(KEYS.limit(this.key, TimeUnit.MINUTE.duration()), 0, -1);
        assertThat(calls).hasSize(1);
        long stampedMillis = calls.iterator().next().getScore().longValue() / 1000;
        assertThat(stampedMillis).isBetween(before, after);
    }

    @Test
    void allWindowsOfAKeyShareOneClusterSlotEvenWhenTheKeyHasBraces() {
        String hostile = this.key + "}{x";
        newProcess().allow(hostile, List.of(Limit.of(2, TimeUnit.SECOND), Limit.of(30, TimeUnit.MINUTE)));
        String perSecond = KEYS.limit(hostile, Duration.ofSeconds(1));
        String perMinute = KEYS.limit(hostile, Duration.ofMinutes(1));
        assertThat(perSecond).isEqualTo("pielock:limit:{" + this.key + "%7D%7Bx}:1000ms");
        assertThat(SlotHash.getSlot(perSecond)).isEqualTo(SlotHash.getSlot(perMinute));
        assertThat(redis().hasKey(perSecond)).isTrue();
        assertThat(redis().hasKey(perMinute)).isTrue();
    }

    private long serverTimeMillis() {
        return redis().execute((RedisCallback<Long>) connection -> connection.serverCommands().time());
    }
}
