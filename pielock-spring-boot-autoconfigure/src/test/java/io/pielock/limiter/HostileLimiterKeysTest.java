package io.pielock.limiter;

import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisRateLimitStore;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Odd rate limit keys on real Redis: any text is a limit of its own, counted under its own Redis key, and named
 * as given in results (too long a text is rejected by the contract suite).
 */
class HostileLimiterKeysTest {

    private static final RedisKeys KEYS = new RedisKeys("pielock:");

    private final LettuceConnectionFactory connections = TestRedis.connectionFactory();

    private final Limiter limiter = new Limiter(new RedisRateLimitStore(this.connections, KEYS));

    @AfterEach
    void closeConnections() {
        this.connections.destroy();
    }

    @ParameterizedTest
    @MethodSource("io.pielock.test.HostileKeys#texts")
    void anyTextIsALimitOfItsOwnStoredUnderItsOwnKeyAndNamedAsGiven(String text) {
        String name = text + ":" + UUID.randomUUID();
        assertThat(this.limiter.allow(name, TimeUnit.MINUTE, 1).allowed()).isTrue();
        assertThat(new StringRedisTemplate(this.connections).hasKey(KEYS.limit(name, Limit.of(1, TimeUnit.MINUTE))))
            .isTrue();
        LimitResult denied = this.limiter.allow(name, TimeUnit.MINUTE, 1);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.key()).isEqualTo(name);
        assertThat(denied.message()).startsWith("Rate limit exceeded key: " + name + " (1 per 1m)");
    }

    @Test
    void keysThatEscapeToTheSameCharactersStayDistinctLimits() {
        String suffix = ":" + UUID.randomUUID();
        assertThat(this.limiter.allow("{" + suffix, TimeUnit.MINUTE, 1).allowed()).isTrue();
        assertThat(this.limiter.allow("%7B" + suffix, TimeUnit.MINUTE, 1).allowed()).isTrue();
        assertThat(this.limiter.allow("%257B" + suffix, TimeUnit.MINUTE, 1).allowed()).isTrue();
    }
}
