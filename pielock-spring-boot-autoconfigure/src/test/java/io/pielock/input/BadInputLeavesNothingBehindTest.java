package io.pielock.input;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.limiter.Algorithm;
import io.pielock.limiter.Limit;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.TimeUnit;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockTemplate;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.store.redis.RedisRateLimitStore;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Values the library cannot represent are refused with a clear message before anything is written: the two
 * defects found by trying edge values against a real Redis.
 */
class BadInputLeavesNothingBehindTest {

    private static final String PREFIX = "pielock-bad-input:";

    private final LettuceConnectionFactory factory = TestRedis.connectionFactory();

    private final StringRedisTemplate redis = new StringRedisTemplate(this.factory);

    private final RedisLockStore lockStore = new RedisLockStore(this.factory, new RedisKeys(PREFIX));

    private final LockTemplate locks = new LockTemplate(this.lockStore);

    private final Limiter limiter = new Limiter(new RedisRateLimitStore(this.factory, new RedisKeys(PREFIX)));

    @AfterEach
    void close() throws Exception {
        this.locks.close();
        this.lockStore.destroy();
        this.factory.destroy();
    }

    @Test
    void aLeaseOfThreeHundredYearsIsRefusedBeforeAnyLockIsWritten() {
        Set<String> before = keys();
        assertThatIllegalArgumentException()
            .isThrownBy(() -> this.locks.acquire("e1", LockOptions.defaults().withExpires(Duration.ofDays(365 * 300))))
            .withMessage("expires must be at most 36500d (100 years), but was 109500d");
        assertThat(keys()).as("nothing written").isEqualTo(before).isEmpty();
    }

    @Test
    void timeoutsAndRetryIntervalsBeyondOneHundredYearsAreRefusedToo() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LockOptions.defaults().withTimeout(Duration.ofSeconds(Long.MAX_VALUE)))
            .withMessageStartingWith("timeout must be at most 36500d (100 years), but was ");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LockOptions.defaults().withRetryAfter(Duration.ofDays(36_501)))
            .withMessage("retryAfter must be at most 36500d (100 years), but was 36501d");
    }

    @Test
    void aLeaseThatIsNotAWholeNumberOfMillisecondsIsRefusedRatherThanRounded() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LockOptions.defaults().withExpires(Duration.ofNanos(1_500_000)))
            .withMessage("expires must be a whole number of milliseconds (Redis keeps leases in ms), but was PT0.0015S");
    }

    @Test
    void theLongestLeaseAcceptedLocksAndReleasesCleanly() {
        LockOptions longest = LockOptions.defaults().withExpires(LockOptions.MAX_DURATION).withRenew(false);
        try (var handle = this.locks.lock("e2", longest)) {
            assertThat(this.redis.getExpire(PREFIX + "lock:{e2}", java.util.concurrent.TimeUnit.DAYS))
                .isBetween(36_499L, 36_500L);
        }
        assertThat(keys()).as("released, and its fencing counter lives as long as the lease").hasSize(1)
            .allMatch(key -> key.startsWith(PREFIX + "fence:"));
        this.redis.delete(keys());
    }

    @Test
    void aCountNoStoreCanKeepExactlyIsRefusedBeforeAnyCallIsCounted() {
        assertThatIllegalArgumentException().isThrownBy(() -> this.limiter.allow("k4", TimeUnit.MONTH, Long.MAX_VALUE))
            .withMessageContaining("Rate limit count of a sliding window must be at most 1000000")
            .withMessageContaining("but was 9223372036854775807 per 30d");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> this.limiter.allow("k4", List.of(Limit.of(Long.MAX_VALUE, TimeUnit.MONTH, Algorithm.GCRA))))
            .withMessageContaining("Rate limit count of GCRA must be at most one per microsecond of the window");
        assertThat(keys()).as("nothing counted").isEmpty();
    }

    private Set<String> keys() {
        return this.redis.keys(PREFIX + "*");
    }
}
