package io.pielock.faults;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;

import io.pielock.limiter.LimitResult;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.LimiterUnavailableException;
import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockResult;
import io.pielock.lock.LockTemplate;
import io.pielock.lock.ReleaseResult;
import io.pielock.store.redis.RedisKeys;
import io.pielock.test.CapturedLogs;
import io.pielock.test.LockProcesses;
import io.pielock.test.RedisServer;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Faults of the Redis process itself, injected for real: a restart that loses everything (no persistence), a
 * stall longer than the command timeout (SIGSTOP), and connections killed under waiting callers
 * ({@code CLIENT KILL}). Each "process" is a lock template or a limiter with its own connections.
 */
class RedisFaultsTest {

    private static final RedisKeys KEYS = new RedisKeys("pielock:");

    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static RedisServer redis;

    private final LockProcesses processes = new LockProcesses(
            () -> TestRedis.connectionFactory(redis.host(), redis.port(), COMMAND_TIMEOUT));

    private String key;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.stop();
    }

    @BeforeEach
    void uniqueKey() {
        this.key = "redis-fault:" + UUID.randomUUID();
    }

    @AfterEach
    void closeAll() throws Exception {
        this.processes.close();
    }

    @Test
    void afterARestartThatLostEverythingHoldersSaySoAndNewHoldersGetHigherTokens() throws Exception {
        LockTemplate holders = newProcess(LockOptions.defaults().withExpires(Duration.ofMillis(1500)));
        LockHandle renewed = holders.lock(this.key + ":renewed");
        LockHandle unrenewed = holders.lock(this.key + ":unrenewed",
                holders.defaults().withExpires(Duration.ofMinutes(1)).withRenew(false));
        try (CapturedLogs logs = CapturedLogs.capture()) {
            redis.restart();
            assertThat(redis.call("EXISTS", KEYS.lock(this.key + ":renewed"), KEYS.fence(this.key + ":renewed")))
                .as("locks and fencing counters are gone").isEqualTo(0L);

            awaitNotHeld(renewed);
            // isHeld() may turn false by this JVM's lease clock a moment before the renewal gets its answer
            awaitLogged(logs, "Lost lock key: " + this.key + ":renewed");
        }
        ReleaseResult release = unrenewed.release();
        assertThat(release.released()).isFalse();
        assertThat(release.message()).as("the release said so").contains("lost").contains(this.key);

        LockTemplate next = newProcess(LockOptions.defaults());
        LockResult again = next.tryAcquire(this.key + ":renewed");
        assertThat(again.acquired()).isTrue();
        assertThat(again.fencingToken()).as("higher although the counter was lost (server time)")
            .isGreaterThan(renewed.fencingToken());
        assertThat(next.tryAcquire(this.key + ":unrenewed").fencingToken()).isGreaterThan(unrenewed.fencingToken());
        assertThat(renewed.release().released()).as("the old hold cannot release the new holder's lock").isFalse();
        assertThat(next.release(this.key + ":renewed").released()).isTrue();
    }

    @Test
    void duringAStallLockCallsFailWithinTheCommandTimeoutAndNothingStaysLocked() {
        LockTemplate template = newProcess(LockOptions.defaults().withExpires(Duration.ofSeconds(1)));
        assertThat(template.tryAcquire(this.key + ":connected").acquired()).isTrue();
        redis.pause();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> template.lock(this.key)).isInstanceOf(LockAcquisitionException.class)
                .hasMessageContaining(this.key)
                .hasMessageContaining("could not be reached")
                .hasCauseInstanceOf(QueryTimeoutException.class)
                .satisfies(ex -> assertThat(((LockAcquisitionException) ex).getReason())
                    .isEqualTo(LockAcquisitionException.Reason.STORE_UNAVAILABLE));
            assertThatThrownBy(() -> template.tryAcquire(this.key + ":other"))
                .as("an outage is never reported as contention").isInstanceOf(LockAcquisitionException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("two calls, each bounded by the 500 ms timeout")
                .isLessThan(Duration.ofSeconds(6));
        }
        finally {
            redis.resume();
        }
        // Redis, woken, may still run the acquisitions it had queued: their lease frees the lock
        long start = System.nanoTime();
        LockResult after = template.acquire(this.key, template.defaults().withTimeout(Duration.ofSeconds(20)));
        assertThat(after.acquired()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("within the 1 s lease plus a margin")
            .isLessThan(Duration.ofSeconds(8));
        assertThat(template.release(this.key).released()).isTrue();
    }

    @Test
    void duringAStallRateLimitChecksFailClosedWithinTheCommandTimeoutAndWorkAfterwards() {
        Limiter limiter = this.processes.newLimiter(false);
        assertThat(limiter.allow(this.key, MINUTE, 5).remaining()).isEqualTo(4);
        redis.pause();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> limiter.allow(this.key, MINUTE, 5))
                .isInstanceOf(LimiterUnavailableException.class)
                .hasMessageStartingWith("Could not check rate limit key: " + this.key + ": the rate limit store could "
                        + "not be reached (Redis at ")
                .hasMessageContaining("), so the call is denied (fail-closed; pielock.limiter.fail-open=true allows "
                        + "calls unchecked while it is unreachable)")
                .hasCauseInstanceOf(QueryTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the 500 ms command timeout")
                .isLessThan(Duration.ofSeconds(5));
        }
        finally {
            redis.resume();
        }
        LimitResult after = limiter.allow(this.key, MINUTE, 5);
        assertThat(after.allowed()).isTrue();
        assertThat(after.remaining()).as("Redis, woken, ran the call it had queued: denied to the caller, yet counted")
            .isEqualTo(2);
    }

    @Test
    void duringAStallAFailOpenLimiterAllowsAndCountsCallsAndChecksAgainAfterwards() {
        Limiter limiter = this.processes.newLimiter(true);
        assertThat(limiter.allow(this.key, MINUTE, 5).remaining()).isEqualTo(4);
        redis.pause();
        try {
            long start = System.nanoTime();
            LimitResult unchecked = limiter.allow(this.key, MINUTE, 5);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the 500 ms command timeout")
                .isLessThan(Duration.ofSeconds(5));
            assertThat(unchecked.allowed()).isTrue();
            assertThat(unchecked.message()).isEqualTo("Allowed without a rate limit check key: " + this.key
                    + " (the rate limit store could not be reached; fail-open)");
            assertThat(limiter.getFailOpenCount()).isEqualTo(1);
        }
        finally {
            redis.resume();
        }
        LimitResult after = limiter.allow(this.key, MINUTE, 5);
        assertThat(after.message()).as("checked again, and the unchecked call reached Redis once it woke")
            .startsWith("Allowed key: " + this.key + " (2 of 5");
        assertThat(limiter.getFailOpenCount()).isEqualTo(1);
    }

    @Test
    void afterARestartThatLostEverythingRateLimitsStartAfreshWithoutRestartingTheApplication() throws Exception {
        Limiter limiter = this.processes.newLimiter(false);
        String denied = this.key + ":denied";
        limiter.allow(denied, MINUTE, 2);
        limiter.allow(denied, MINUTE, 2);
        assertThat(limiter.allow(denied, MINUTE, 2).allowed()).isFalse();
        limiter.allow(this.key, MINUTE, 2);
        assertThat(limiter.allow(this.key, MINUTE, 2).remaining()).isZero();
        redis.restart();
        LimitResult afterRestart = allowOnceReconnected(limiter, 2);
        assertThat(afterRestart.allowed()).as("the exhausted window was lost").isTrue();
        assertThat(afterRestart.remaining()).as("a fresh window: this is its first call").isEqualTo(1);
        assertThat(limiter.allow(denied, MINUTE, 2).allowed())
            .as("a key this application was denied stays denied until its retry-after: the denial is remembered")
            .isFalse();
    }

    @Test
    void aWaiterWhoseSubscriptionWasKilledIsStillWokenByTheRelease() throws Exception {
        LockTemplate holder = newProcess(LockOptions.defaults());
        LockTemplate waiter = newProcess(LockOptions.defaults().withRetryAfter(Duration.ofSeconds(30)));
        CompletableFuture<Long> acquiredAfter = waitInBackground(holder, waiter);

        assertThat((Long) redis.call("CLIENT", "KILL", "TYPE", "pubsub")).isPositive();
        awaitSubscribers(this.key);
        long releasedAt = System.nanoTime();
        assertThat(holder.release(this.key).released()).isTrue();

        assertThat(acquiredAfter.get(60, TimeUnit.SECONDS) - releasedAt).as("woken, not by the 30 s poll")
            .isLessThan(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void aReleaseWhileTheSubscriptionIsDownIsCaughtByThePollFallback() throws Exception {
        LockTemplate holder = newProcess(LockOptions.defaults());
        LockTemplate waiter = newProcess(LockOptions.defaults().withRetryAfter(Duration.ofSeconds(1)));
        CompletableFuture<Long> acquiredAfter = waitInBackground(holder, waiter);

        redis.call("CLIENT", "KILL", "TYPE", "pubsub");
        long releasedAt = System.nanoTime();
        assertThat(holder.release(this.key).released()).isTrue();

        assertThat(acquiredAfter.get(60, TimeUnit.SECONDS) - releasedAt).as("by the 1 s poll at the latest")
            .isLessThan(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void killingEveryCommandConnectionLosesNoLockAndNoWaiter() throws Exception {
        LockTemplate holder = newProcess(LockOptions.defaults().withExpires(Duration.ofSeconds(3)));
        LockTemplate waiter = newProcess(LockOptions.defaults().withRetryAfter(Duration.ofSeconds(30)));
        CompletableFuture<Long> acquiredAfter = waitInBackground(holder, waiter);

        assertThat((Long) redis.call("CLIENT", "KILL", "TYPE", "normal")).isPositive();
        Thread.sleep(1500);
        long releasedAt = System.nanoTime();
        assertThat(holder.release(this.key).released()).as("renewed and released over new connections").isTrue();

        assertThat(acquiredAfter.get(60, TimeUnit.SECONDS) - releasedAt).as("woken, not by the 30 s poll")
            .isLessThan(Duration.ofSeconds(10).toNanos());
    }

    /** The holder takes the lock; the waiter waits for it on another thread. Completes with when it got it. */
    private CompletableFuture<Long> waitInBackground(LockTemplate holder, LockTemplate waiter) throws Exception {
        assertThat(holder.acquire(this.key).acquired()).isTrue();
        CompletableFuture<Long> acquiredAt = CompletableFuture.supplyAsync(() -> {
            assertThat(waiter.acquire(this.key).acquired()).isTrue();
            long at = System.nanoTime();
            waiter.release(this.key);
            return at;
        });
        awaitSubscribers(this.key);
        Thread.sleep(200);
        return acquiredAt;
    }

    /**
     * Allows one call once the limiter's connection is back (Lettuce reconnects by itself, with growing pauses);
     * until then calls fail closed, never as an exceeded limit.
     */
    private LimitResult allowOnceReconnected(Limiter limiter, long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return limiter.allow(this.key, MINUTE, count);
            }
            catch (LimiterUnavailableException ex) {
                assertThat(System.nanoTime()).as("calls work again well under 10 s after Redis is back")
                    .isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    private static void awaitSubscribers(String key) {
        redis.awaitChannel(KEYS.releaseChannel(key) + ":*", Duration.ofSeconds(20));
    }

    private static void awaitNotHeld(LockHandle handle) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (handle.isHeld()) {
            assertThat(System.nanoTime()).as("the holder noticed it lost the lock").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitLogged(CapturedLogs logs, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!logs.text().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(logs.text()).as("the renewal said so").contains(text);
    }

    private LockTemplate newProcess(LockOptions defaults) {
        return this.processes.newProcess(defaults);
    }
}
