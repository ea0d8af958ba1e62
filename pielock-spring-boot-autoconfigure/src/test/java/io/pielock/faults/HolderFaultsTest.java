package io.pielock.faults;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.lock.LockHandle;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockTemplate;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.FencedCounter;
import io.pielock.test.JavaProcess;
import io.pielock.test.RedisServer;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lock holder in another JVM that crashes (SIGKILL) or stalls (SIGSTOP, as a long GC pause or a frozen VM
 * would) while holding a lock. Locks live in one Redis; the resource they guard, a {@link FencedCounter}, in
 * another.
 */
class HolderFaultsTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static RedisServer lockRedis;

    private static RedisServer resourceRedis;

    private static LettuceConnectionFactory locks;

    private static LettuceConnectionFactory resources;

    private static RedisLockStore store;

    private JavaProcess holder;

    private LockTemplate template;

    private String key;

    @BeforeAll
    static void startRedis() {
        lockRedis = RedisServer.start();
        resourceRedis = RedisServer.start();
        locks = TestRedis.connectionFactory(lockRedis.host(), lockRedis.port(), Duration.ofSeconds(5));
        resources = TestRedis.connectionFactory(resourceRedis.host(), resourceRedis.port(), Duration.ofSeconds(5));
        store = new RedisLockStore(locks, new RedisKeys("pielock:"));
    }

    @AfterAll
    static void stopRedis() throws Exception {
        store.destroy();
        locks.destroy();
        resources.destroy();
        lockRedis.stop();
        resourceRedis.stop();
    }

    @BeforeEach
    void startHolder() {
        this.holder = JavaProcess.start(LockHolderProcess.class, Integer.toString(lockRedis.port()),
                Integer.toString(resourceRedis.port()));
        assertThat(this.holder.nextReply(LIMIT)).isEqualTo("ready");
        this.template = new LockTemplate(store, LockOptions.defaults().withRetryAfter(Duration.ofSeconds(30)));
        this.key = "holder-fault:" + UUID.randomUUID();
    }

    @AfterEach
    void stopHolder() {
        this.template.close();
        this.holder.close();
    }

    @Test
    void aKilledHoldersLockPassesOnWhenItsLeaseRunsOutWithAHigherFencingToken() {
        long crashedToken = acquiredToken(this.holder.ask("acquire " + this.key + " 2000", LIMIT));

        this.holder.kill();
        long killedAt = System.nanoTime();
        LockHandle next = this.template.lock(this.key);

        assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
            .as("within the 2 s lease plus a margin, not the 30 s poll")
            .isLessThan(Duration.ofSeconds(2).plusSeconds(6));
        assertThat(next.fencingToken()).isGreaterThan(crashedToken);
        assertThat(next.release().released()).isTrue();
    }

    @Test
    void aStalledHolderLosesTheLockAndItsLateWriteAndReleaseChangeNothing() {
        FencedCounter counter = new FencedCounter(new StringRedisTemplate(resources), this.key);
        long staleToken = acquiredToken(this.holder.ask("acquire " + this.key + " 1000", LIMIT));

        this.holder.pause();
        LockHandle next;
        try {
            next = this.template.lock(this.key);
            assertThat(next.fencingToken()).isGreaterThan(staleToken);
            assertThat(counter.write(next.fencingToken(), 1, "new holder")).isTrue();
        }
        finally {
            this.holder.resume();
        }

        assertThat(this.holder.ask("write " + this.key + " 99", LIMIT)).as("the fenced resource refuses it")
            .isEqualTo("rejected");
        assertThat(this.holder.ask("release " + this.key, LIMIT)).startsWith("not-released ").contains("lost");
        assertThat(counter.value()).isEqualTo(1);
        assertThat(next.isHeld()).as("the late release did not take the lock from the new holder").isTrue();
        assertThat(lockRedis.call("EXISTS", "pielock:lock:{" + this.key + "}")).isEqualTo(1L);
        assertThat(next.release().released()).isTrue();
    }

    private static long acquiredToken(String reply) {
        assertThat(reply).startsWith("acquired ");
        return Long.parseLong(reply.substring("acquired ".length()));
    }
}
