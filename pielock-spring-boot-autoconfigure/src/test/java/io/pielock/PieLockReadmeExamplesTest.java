package io.pielock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.limiter.LimitResult;
import io.pielock.limiter.Limiter;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockResult;
import io.pielock.lock.LockTemplate;
import io.pielock.lock.ReleaseResult;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.store.redis.RedisRateLimitStore;
import io.pielock.test.TestRedis;

import static io.pielock.limiter.TimeUnit.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The original pie-lock README's three examples, ported line by line (the Python in the comments) and run against
 * a real Redis: the same outcomes, in the same order. Keys get a random suffix so runs do not meet.
 */
class PieLockReadmeExamplesTest {

    /** {@code DistributedLock(expires=5, timeout=5, retry_after=1, tries=32)} */
    private static final LockOptions PIE_LOCK = new LockOptions(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(1), 32, true);

    private final LettuceConnectionFactory connections = TestRedis.connectionFactory();

    private final RedisLockStore store = new RedisLockStore(this.connections, new RedisKeys("pielock:"));

    private final String run = ":" + UUID.randomUUID();

    @AfterEach
    void close() throws Exception {
        this.store.destroy();
        this.connections.destroy();
    }

    @Test
    void usageDistributedLock() {
        LockTemplate redisLock = new LockTemplate(this.store, PIE_LOCK);
        String key = "test1" + this.run; // key = "test1"
        LockResult success = redisLock.acquire(key); // success, msg = redis_lock.acquire(key)
        assertThat(success.acquired()).isTrue();
        assertThat(success.message()).isEqualTo("Lock acquired key: " + key);
        ReleaseResult released = redisLock.release(key); // redis_lock.release(key)
        assertThat(released.released()).isTrue();
        assertThat(released.message()).isEqualTo("Lock released key: " + key);
        redisLock.close();
    }

    @Test
    void usageOptimisticLock() {
        // pie-lock's lock is not reentrant: its second acquire of a key it holds fails (pielock's default is
        // reentrant, so the port asks for pie-lock's behaviour; the refusal comes at once, since waiting for
        // oneself could never succeed, where pie-lock waited out its timeout)
        LockTemplate redisLock = new LockTemplate(this.store, PIE_LOCK.withReentrant(false));
        String key1 = "key1" + this.run;
        List<Boolean> outcomes = new ArrayList<>();
        LockResult isLocked1 = redisLock.acquire(key1); // is_locked1, msg = redis_lock.acquire("key1")
        outcomes.add(isLocked1.acquired());
        LockResult isLocked2 = redisLock.acquire(key1); // is_locked2, msg = redis_lock.acquire("key1")
        outcomes.add(isLocked2.acquired());
        LockResult isLocked3 = redisLock.acquire(key1); // is_locked3, msg = redis_lock.acquire("key1")
        outcomes.add(isLocked3.acquired());
        ReleaseResult release = redisLock.release(key1); // release, msg = redis_lock.release("key1")
        outcomes.add(release.released());
        LockResult isLocked4 = redisLock.acquire(key1); // is_locked4, msg = redis_lock.acquire("key1")
        outcomes.add(isLocked4.acquired());

        assertThat(outcomes).containsExactly(true, false, false, true, true);
        assertThat(isLocked2.message()).isEqualTo("Lock already held by this thread key: " + key1
                + " (not reentrant: release it before acquiring it again)");
        assertThat(isLocked3.message()).isEqualTo(isLocked2.message());
        assertThat(redisLock.release(key1).released()).isTrue();
        redisLock.close();
    }

    @Test
    void limiter() throws Exception {
        Limiter redis = new Limiter(new RedisRateLimitStore(this.connections, new RedisKeys("pielock:")));
        String mylist = "mylist" + this.run;
        List<LimitResult> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // for i in range(6):
            results.add(redis.allow(mylist, SECOND, 2)); // allow, msg = redis.allow(redis_key="mylist", ...)
        }
        assertThat(results).extracting(LimitResult::allowed).containsExactly(true, true, false, false, false, false);
        assertThat(results.get(0).message()).isEqualTo("Allowed key: " + mylist + " (1 of 2 per 1s left)");
        assertThat(results.subList(2, 6)).allSatisfy(denied -> assertThat(denied.message())
            .startsWith("Rate limit exceeded key: " + mylist + " (2 per 1s); retry after "));
        Thread.sleep(1000); // time.sleep(1)
        LimitResult allow = redis.allow(mylist, SECOND, 2); // allow, msg = redis.allow(...)
        assertThat(allow.allowed()).isTrue();
    }
}
