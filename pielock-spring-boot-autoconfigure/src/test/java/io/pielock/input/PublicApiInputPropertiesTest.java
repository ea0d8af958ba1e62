package io.pielock.input;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.key.Keys;
import io.pielock.limiter.Algorithm;
import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitResult;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.TimeUnit;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockStore;
import io.pielock.lock.LockTemplate;
import io.pielock.limiter.RateLimitStore;
import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.store.memory.InMemoryRateLimitStore;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.store.redis.RedisRateLimitStore;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Property-based tests over the argument space of the public API, on the memory store and on Redis: for every
 * generated input (edge values mixed with random ones, from a fixed seed, so a failure repeats), either an
 * {@link IllegalArgumentException} before anything changes in the store, or a correct result. Whether an input
 * is valid is decided here from the documented ranges, independently of the library's own checks.
 */
class PublicApiInputPropertiesTest {

    private static final int CASES = 1500;

    private static final String PREFIX = "pielock-input-properties:";

    private static final Duration MAX = LockOptions.MAX_DURATION;

    private final List<AutoCloseable> closing = new ArrayList<>();

    static Stream<Arguments> stores() {
        return Stream.of(Arguments.of("memory"), Arguments.of("redis"));
    }

    @AfterEach
    void close() throws Exception {
        for (int i = this.closing.size() - 1; i >= 0; i--) {
            this.closing.get(i).close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void everyLockAcquisitionIsRefusedBeforeAnyChangeOrLocksAndReleasesCleanly(String kind) {
        Store store = store(kind);
        LockTemplate locks = new LockTemplate(store.locks);
        this.closing.add(locks::close);
        LockTemplate other = new LockTemplate(store.otherLocks);
        this.closing.add(other::close);
        Random random = new Random(20261201L);
        for (int i = 0; i < CASES; i++) {
            String key = key(random);
            Duration expires = duration(random);
            Duration timeout = duration(random);
            Duration retryAfter = duration(random);
            int tries = tries(random);
            String input = "case " + i + ": key=" + shorten(key) + ", expires=" + expires + ", timeout=" + timeout
                    + ", retryAfter=" + retryAfter + ", tries=" + tries;
            boolean validOptions = isWholeMillis(expires) && atLeastOneMilli(expires) && atMostMax(expires)
                    && timeout != null && !timeout.isNegative() && atMostMax(timeout) && atLeastOneMilli(retryAfter)
                    && atMostMax(retryAfter) && tries >= 0;
            Set<String> before = store.keys();
            Throwable refused = catchThrowable(() -> LockOptions.defaults().withExpires(expires)
                .withTimeout(timeout).withRetryAfter(retryAfter).withTries(tries));
            if (!validOptions) {
                assertThat(refused).as(input).isInstanceOf(IllegalArgumentException.class);
                assertThat(refused.getMessage()).as(input).isNotBlank();
                continue;
            }
            assertThat(refused).as(input).isNull();
            LockOptions options = LockOptions.defaults().withExpires(expires).withTimeout(timeout)
                .withRetryAfter(retryAfter).withTries(tries).withRenew(random.nextBoolean());
            if (!isValidKey(key)) {
                assertThatIllegalArgumentException().as(input).isThrownBy(() -> locks.lock(key, options))
                    .withMessageContaining("must");
                assertThat(store.keys()).as(input + ": nothing written").isEqualTo(before);
                continue;
            }
            long token;
            try (LockHandle handle = locks.lock(key, options)) {
                token = handle.fencingToken();
                assertThat(token).as(input).isPositive();
                if (expires.compareTo(Duration.ofSeconds(5)) >= 0) {
                    assertThat(other.tryAcquire(key).acquired()).as(input + ": held against another process")
                        .isFalse();
                }
            }
            assertThat(other.tryAcquire(key).acquired()).as(input + ": free after the release").isTrue();
            other.release(key);
            store.clear();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void everyLimitDecisionIsRefusedBeforeAnyCountOrAnsweredWithConsistentFigures(String kind) {
        Store store = store(kind);
        Random random = new Random(20261202L);
        for (int i = 0; i < CASES; i++) {
            // a fresh store per case: the memory store's keys cannot be cleared from outside, and a Redis store
            // remembers its denials, which clearing Redis behind its back does not undo (keys repeat across cases)
            Limiter limiter = new Limiter(store.limits.get());
            String key = key(random);
            long count = count(random);
            boolean byUnit = random.nextInt(3) == 0;
            TimeUnit per = pick(random, TimeUnit.values(), null);
            Duration window = byUnit ? (per != null ? per.duration() : null) : duration(random);
            Algorithm algorithm = random.nextInt(4) == 0 ? null : pick(random, Algorithm.values(), Algorithm.SLIDING_WINDOW);
            String input = "case " + i + ": key=" + shorten(key) + ", count=" + count + ", window=" + window
                    + ", algorithm=" + algorithm;
            boolean validLimit = window != null && algorithm != null && count >= 1 && atLeastOneMilli(window)
                    && window.compareTo(Limit.MAX_WINDOW) <= 0 && isWholeMillis(window)
                    && (algorithm == Algorithm.SLIDING_WINDOW ? count <= Limit.MAX_SLIDING_WINDOW_COUNT
                            : count <= window.toMillis() * 1000);
            Set<String> before = store.keys();
            Supplier<LimitResult> call = byUnit && algorithm == Algorithm.SLIDING_WINDOW
                    ? () -> limiter.allow(key, per, count)
                    : () -> limiter.allow(key, List.of(new Limit(count, window, algorithm)));
            if (!validLimit || !isValidKey(key)) {
                assertThatIllegalArgumentException().as(input).isThrownBy(call::get).withMessageContaining("must");
                assertThat(store.keys()).as(input + ": nothing counted").isEqualTo(before);
                continue;
            }
            LimitResult first = call.get();
            assertThat(first.allowed()).as(input + ": the first call of a fresh key").isTrue();
            assertThat(first.remaining()).as(input).isEqualTo(count - 1);
            assertThat(first.message()).as(input).contains("(" + (count - 1) + " of " + count + " per ");
            LimitResult second = call.get();
            if (window.compareTo(Duration.ofMinutes(1)) >= 0) {
                // (a shorter window may have passed between the calls on a busy machine)
                assertThat(second.allowed()).as(input).isEqualTo(count > 1);
            }
            assertThat(second.remaining()).as(input).isBetween(0L, count - 1);
            if (!second.allowed()) {
                assertThat(second.retryAfter()).as(input).isPositive().isLessThanOrEqualTo(window);
            }
            store.clear();
        }
    }

    private Store store(String kind) {
        if (kind.equals("memory")) {
            InMemoryLockStore locks = new InMemoryLockStore();
            return new Store(locks, locks, InMemoryRateLimitStore::new, null);
        }
        LettuceConnectionFactory factory = TestRedis.connectionFactory();
        this.closing.add(factory::destroy);
        RedisKeys keys = new RedisKeys(PREFIX);
        RedisLockStore locks = new RedisLockStore(factory, keys);
        this.closing.add(locks::destroy);
        LettuceConnectionFactory otherFactory = TestRedis.connectionFactory();
        this.closing.add(otherFactory::destroy);
        RedisLockStore otherLocks = new RedisLockStore(otherFactory, keys);
        this.closing.add(otherLocks::destroy);
        StringRedisTemplate redis = new StringRedisTemplate(factory);
        redis.delete(redis.keys(PREFIX + "*"));
        return new Store(locks, otherLocks, () -> new RedisRateLimitStore(factory, keys), redis);
    }

    /**
     * The stores under test ({@code limits} makes a new rate limit store); {@code redis} is null for the memory store
     * (its keys cannot be listed).
     */
    private record Store(LockStore locks, LockStore otherLocks, Supplier<RateLimitStore> limits,
            StringRedisTemplate redis) {

        Set<String> keys() {
            return (this.redis != null) ? this.redis.keys(PREFIX + "*") : Set.of();
        }

        void clear() {
            if (this.redis != null) {
                this.redis.delete(keys());
            }
        }
    }

    private static String key(Random random) {
        return switch (random.nextInt(14)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> " \t";
            case 3 -> "k".repeat(Keys.MAX_LENGTH);
            case 4 -> "k".repeat(Keys.MAX_LENGTH + 1 + random.nextInt(5000));
            case 5 -> "{";
            case 6 -> "}{%";
            case 7 -> "orders:{42}";
            default -> {
                String alphabet = "abcXYZ019:{}%-_ é日\u0000\n";
                StringBuilder key = new StringBuilder();
                for (int n = 1 + random.nextInt(40); n > 0; n--) {
                    key.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                yield key.toString();
            }
        };
    }

    private static Duration duration(Random random) {
        return switch (random.nextInt(20)) {
            case 0 -> null;
            case 1 -> Duration.ofMillis(-1 - random.nextInt(1000));
            case 2 -> Duration.ZERO;
            case 3 -> Duration.ofNanos(1 + random.nextInt(999_999));
            case 4 -> Duration.ofNanos(1_000_000 + 1 + random.nextInt(999_998));
            case 5 -> Duration.ofMillis(1);
            case 6 -> MAX;
            case 7 -> MAX.minusMillis(1);
            case 8 -> MAX.plusMillis(1 + random.nextInt(1000));
            case 9 -> Duration.ofDays(365L * 300);
            case 10 -> Duration.ofSeconds(Long.MAX_VALUE);
            case 11 -> Duration.ofDays(1 + random.nextInt(36_500));
            default -> Duration.ofMillis(1 + random.nextInt(60_000));
        };
    }

    private static int tries(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> -1 - random.nextInt(10);
            case 1 -> 0;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> Integer.MIN_VALUE;
            default -> 1 + random.nextInt(10);
        };
    }

    private static long count(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> -random.nextInt(100);
            case 2 -> 1;
            case 3 -> Long.MAX_VALUE;
            case 4 -> Limit.MAX_SLIDING_WINDOW_COUNT;
            case 5 -> Limit.MAX_SLIDING_WINDOW_COUNT + 1;
            case 6 -> 1L << 53;
            case 7 -> (1L << 53) + 1;
            default -> 1 + random.nextInt(1000);
        };
    }

    private static <T> T pick(Random random, T[] values, T orNull) {
        int index = random.nextInt(values.length + 1);
        return (index == values.length) ? orNull : values[index];
    }

    private static boolean isValidKey(String key) {
        return key != null && !key.isBlank() && key.length() <= Keys.MAX_LENGTH;
    }

    private static boolean atLeastOneMilli(Duration value) {
        return value != null && value.compareTo(Duration.ofMillis(1)) >= 0;
    }

    private static boolean atMostMax(Duration value) {
        return value != null && value.compareTo(MAX) <= 0;
    }

    private static boolean isWholeMillis(Duration value) {
        return value != null && value.getNano() % 1_000_000 == 0;
    }

    private static String shorten(String key) {
        return (key == null || key.length() <= 40) ? String.valueOf(key) : key.substring(0, 40) + "…(" + key.length() + ")";
    }
}
