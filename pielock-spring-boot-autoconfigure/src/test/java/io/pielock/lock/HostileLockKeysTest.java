package io.pielock.lock;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.key.Keys;
import io.pielock.store.redis.RedisKeys;
import io.pielock.test.LockProcesses;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Odd lock names on real Redis: any text works as a key, end to end (exclusion, the Redis key written, and the
 * release message that wakes waiters, which carries the name), except texts too long to name anything.
 */
class HostileLockKeysTest {

    private static final RedisKeys KEYS = LockProcesses.KEYS;

    private final LockProcesses processes = new LockProcesses(TestRedis::connectionFactory);

    @AfterEach
    void closeAll() throws Exception {
        this.processes.close();
    }

    @ParameterizedTest
    @MethodSource("io.pielock.test.HostileKeys#texts")
    void anyTextLocksExcludesAndWakesWaiters(String text) throws Exception {
        String name = text + ":" + UUID.randomUUID();
        LockTemplate holder = newProcess(LockOptions.defaults());
        LockTemplate waiter = newProcess(LockOptions.defaults().withRetryAfter(Duration.ofSeconds(30)));
        assertThat(holder.acquire(name).acquired()).isTrue();
        LettuceConnectionFactory admin = TestRedis.connectionFactory();
        try {
            assertThat(new StringRedisTemplate(admin).hasKey(KEYS.lock(name))).isTrue();
        }
        finally {
            admin.destroy();
        }
        assertThat(waiter.acquire(name, waiter.defaults().withTimeout(Duration.ofMillis(200))).acquired())
            .as("excluded").isFalse();

        CompletableFuture<Long> acquiredAt = CompletableFuture.supplyAsync(() -> {
            assertThat(waiter.acquire(name).acquired()).isTrue();
            return System.nanoTime();
        });
        Thread.sleep(300);
        long releasedAt = System.nanoTime();
        assertThat(holder.release(name).released()).isTrue();
        assertThat(acquiredAt.get(60, TimeUnit.SECONDS) - releasedAt)
            .as("the release message named this very key, so it woke the waiter before the 30 s poll")
            .isLessThan(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void namesThatEscapeToTheSameCharactersStayDistinctLocks() {
        LockTemplate template = newProcess(LockOptions.defaults());
        String suffix = ":" + UUID.randomUUID();
        assertThat(template.tryAcquire("{" + suffix).acquired()).isTrue();
        assertThat(template.tryAcquire("%7B" + suffix).acquired()).isTrue();
        assertThat(template.tryAcquire("%257B" + suffix).acquired()).isTrue();
    }

    @Test
    void keysUpToTheMaximumLengthWorkAndLongerOnesAreRejectedClearly() {
        LockTemplate template = newProcess(LockOptions.defaults());
        String longest = UUID.randomUUID() + "x".repeat(Keys.MAX_LENGTH - 36);
        assertThat(template.tryAcquire(longest).acquired()).isTrue();
        assertThat(template.release(longest).released()).isTrue();

        String tenKilobytes = "document:" + "x".repeat(10 * 1024);
        assertThatThrownBy(() -> template.tryAcquire(tenKilobytes)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at most 1024 characters")
            .hasMessageContaining("'document:xxx")
            .hasMessageContaining("has 10249");
    }

    private LockTemplate newProcess(LockOptions defaults) {
        return this.processes.newProcess(defaults);
    }
}
