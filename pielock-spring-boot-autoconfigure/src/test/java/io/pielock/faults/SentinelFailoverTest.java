package io.pielock.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pielock.autoconfigure.PielockAutoConfiguration;
import io.pielock.limiter.LimitResult;
import io.pielock.limiter.Limiter;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockTemplate;
import io.pielock.test.RedisSentinels;
import io.pielock.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application configured only by {@code spring.data.redis.sentinel.*} keeps locking and rate limiting through a
 * failover: the master is killed (SIGKILL), the Sentinels promote a replica, and the same application context,
 * never restarted, is granted locks again with fencing tokens that keep rising. Real processes: a master, two
 * replicas and three Sentinels.
 */
class SentinelFailoverTest {

    /** Generous: the Sentinels need about a second to agree the master is down, then elect and promote. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(30);

    private RedisSentinels redis;

    private final String key = "failover:" + UUID.randomUUID();

    @BeforeEach
    void startSentinels() {
        this.redis = RedisSentinels.start();
    }

    @AfterEach
    void stopSentinels() {
        this.redis.close();
    }

    private ApplicationContextRunner application(int minReplicasAcked) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, AopAutoConfiguration.class,
                    PielockAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.sentinel.master=" + RedisSentinels.MASTER_NAME,
                    "spring.data.redis.sentinel.nodes=" + this.redis.nodes(), "spring.data.redis.timeout=2s",
                    "pielock.lock.expires=10s", "pielock.lock.min-replicas-acked=" + minReplicasAcked);
    }

    @ParameterizedTest(name = "min-replicas-acked={0}")
    @ValueSource(ints = { 0, 1 })
    void locksAreGrantedAgainAfterThePromotionWithFencingTokensThatKeepRising(int minReplicasAcked) {
        application(minReplicasAcked).run(context -> {
            LockTemplate locks = context.getBean(LockTemplate.class);
            long before = lockOnce(locks, Duration.ofSeconds(10));

            RedisServer killed = this.redis.killMaster();
            long killedAt = System.nanoTime();
            List<String> failures = new ArrayList<>();
            long granted = -1;
            while (granted < 0 && System.nanoTime() - killedAt < RECOVERY_BOUND.toNanos()) {
                try {
                    granted = lockOnce(locks);
                }
                catch (RuntimeException ex) {
                    failures.add(ex.getClass().getSimpleName() + ": " + ex.getMessage());
                }
            }
            Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);
            RedisServer promoted = this.redis.awaitPromotion(killed, 0, RECOVERY_BOUND);
            System.out.printf("min-replicas-acked=%d: locks granted again %d ms after the master was killed; "
                    + "%d calls failed meanwhile%s%n", minReplicasAcked, recovery.toMillis(), failures.size(),
                    failures.isEmpty() ? "" : ", e.g. " + failures.get(failures.size() - 1));

            assertThat(granted).as("granted again within %s of the kill, after: %s", RECOVERY_BOUND, failures)
                .isPositive();
            assertThat(granted).as("a fencing token above every one before the failover").isGreaterThan(before);
            assertThat(lockOnce(locks)).as("and still rising").isGreaterThan(granted);
            assertThat(promoted.port()).as("now served by the promoted replica").isNotEqualTo(killed.port());
        });
    }

    /**
     * SIGSTOP of the master: the client's connection to it stays open, so Lettuce alone would never ask the
     * Sentinels for the promoted replica, and would go back to the old master when it thaws (a split-brain window:
     * see the README's Failover row). pielock follows the Sentinels' {@code +switch-master} announcement instead:
     * locks are granted again on the promoted replica while the old master is still frozen.
     */
    @ParameterizedTest(name = "min-replicas-acked={0}")
    @ValueSource(ints = { 0, 1 })
    void aFrozenMastersPromotedReplicaGrantsLocksWhileTheOldMasterIsStillFrozen(int minReplicasAcked) {
        application(minReplicasAcked).run(context -> {
            LockTemplate locks = context.getBean(LockTemplate.class);
            long before = lockOnce(locks, Duration.ofSeconds(10));

            RedisServer frozen = this.redis.pauseMaster();
            long frozenAt = System.nanoTime();
            List<String> failures = new ArrayList<>();
            String heldOn = null;
            long granted = -1;
            long promotedAt;
            try {
                RedisServer promoted = this.redis.awaitPromotion(frozen, minReplicasAcked, RECOVERY_BOUND);
                promotedAt = System.nanoTime();
                while (granted < 0 && System.nanoTime() - promotedAt < RECOVERY_BOUND.toNanos()) {
                    try (LockHandle handle = locks.lock(this.key,
                            locks.defaults().withTimeout(Duration.ofSeconds(2)))) {
                        granted = handle.fencingToken();
                        heldOn = Long.valueOf(1).equals(promoted.call("EXISTS", "pielock:lock:{" + this.key + "}"))
                                ? "the promoted replica" : "not the promoted replica";
                    }
                    catch (RuntimeException ex) {
                        failures.add(ex.getClass().getSimpleName() + ": " + ex.getMessage());
                    }
                }
            }
            finally {
                frozen.resume();
            }
            System.out.printf("SIGSTOP, min-replicas-acked=%d: promoted %d ms after the freeze, locks granted again "
                    + "%d ms after the promotion, held on %s, the old master still frozen; %d calls failed, the "
                    + "last: %s%n", minReplicasAcked, Duration.ofNanos(promotedAt - frozenAt).toMillis(),
                    Duration.ofNanos(System.nanoTime() - promotedAt).toMillis(), heldOn, failures.size(),
                    failures.isEmpty() ? "" : failures.get(failures.size() - 1));

            assertThat(granted).as("granted again within %s of the promotion, the old master frozen", RECOVERY_BOUND)
                .isGreaterThan(before);
            assertThat(heldOn).isEqualTo("the promoted replica");
        });
    }

    @Test
    void rateLimitsCountAgainAfterThePromotion() {
        application(0).run(context -> {
            Limiter limiter = context.getBean(Limiter.class);
            assertThat(limiter.allow(this.key, Duration.ofMinutes(1), 1000).allowed()).isTrue();

            RedisServer killed = this.redis.killMaster();
            long killedAt = System.nanoTime();
            LimitResult result = null;
            while (result == null && System.nanoTime() - killedAt < RECOVERY_BOUND.toNanos()) {
                try {
                    result = limiter.allow(this.key, Duration.ofMinutes(1), 1000);
                }
                catch (RuntimeException ex) {
                    sleep(100);
                }
            }

            assertThat(result).as("checked again within %s of the kill", RECOVERY_BOUND).isNotNull();
            assertThat(result.allowed()).isTrue();
            LimitResult next = limiter.allow(this.key, Duration.ofMinutes(1), 1000);
            assertThat(next.allowed()).isTrue();
            assertThat(next.remaining()).as("counting on the promoted replica").isLessThan(result.remaining());
            assertThat(this.redis.awaitPromotion(killed, 0, RECOVERY_BOUND).port()).isNotEqualTo(killed.port());
        });
    }

    /** @return the fencing token of one acquisition (released at once), waiting at most 2 s for it */
    private long lockOnce(LockTemplate locks) {
        return lockOnce(locks, Duration.ofSeconds(2));
    }

    private long lockOnce(LockTemplate locks, Duration timeout) {
        try (LockHandle handle = locks.lock(this.key, locks.defaults().withTimeout(timeout))) {
            return handle.fencingToken();
        }
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
