package io.pielock.lock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock specification against a real Redis; each "process" has its own connections. Plus what only Redis
 * can show: the keys written, server-side leases, and a lease lost behind the holder's back.
 */
class RedisLockTemplateTest extends AbstractLockTemplateContractTest {

    private static final RedisKeys KEYS = new RedisKeys("pielock:");

    @Override
    protected LockStore newStore() {
        LettuceConnectionFactory factory = track(TestRedis.connectionFactory());
        return new RedisLockStore(factory, KEYS);
    }

    private StringRedisTemplate redis() {
        return new StringRedisTemplate(track(TestRedis.connectionFactory()));
    }

    @Test
    void acquisitionStoresTheOwnerTokenWithAServerSideLease() {
        LockTemplate template = newProcess(LockOptions.defaults().withExpires(Duration.ofSeconds(7)));
        template.acquire(this.key);
        StringRedisTemplate redis = redis();
        String lockKey = "pielock:lock:{" + this.key + "}";
        assertThat(redis.opsForValue().get(lockKey)).isNotBlank();
        assertThat(redis.getExpire(lockKey)).isBetween(1L, 7L);
        template.release(this.key);
        assertThat(redis.hasKey(lockKey)).isFalse();
    }

    @Test
    void aReleaseNobodyWaitsForPublishesNothingAndOneThatIsWaitedForIsAnnounced() throws Exception {
        List<String> announced = new CopyOnWriteArrayList<>();
        RedisMessageListenerContainer listener = new RedisMessageListenerContainer();
        listener.setConnectionFactory(track(TestRedis.connectionFactory()));
        listener.addMessageListener((message, pattern) -> announced.add(new String(message.getBody(),
                StandardCharsets.UTF_8)), new ChannelTopic(KEYS.releaseChannel(this.key)));
        listener.afterPropertiesSet();
        listener.start();
        track(listener);
        LockTemplate template = newProcess();
        for (int i = 0; i < 20; i++) {
            template.run(this.key, () -> { });
        }
        LockTemplate waiter = newProcess();
        LockHandle held = template.lock(this.key);
        Thread waiting = new Thread(() -> waiter.run(this.key, () -> { }));
        waiting.start();
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!redis().hasKey("pielock:waiters:{" + this.key + "}") && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
        held.close();
        waiting.join(Duration.ofSeconds(20).toMillis());
        while (announced.isEmpty() && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
        // Redis delivers in order: had the 20 uncontended releases published, their messages would be here too.
        // The waiter's own release may be announced as well, while the marker it left still lives.
        assertThat(announced).as("20 releases nobody waited for, then one a waiter did").hasSizeBetween(1, 2)
            .containsOnly(this.key);
    }

    @Test
    void renewalThatFindsTheLockGoneMarksTheHandleLostAndReleaseSaysSo() throws Exception {
        LockTemplate holder = newProcess(LockOptions.defaults().withExpires(Duration.ofMillis(600)));
        LockHandle handle = holder.lock(this.key);
        StringRedisTemplate redis = redis();
        redis.delete("pielock:lock:{" + this.key + "}");
        LockTemplate thief = newProcess();
        assertThat(thief.tryAcquire(this.key).acquired()).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (handle.isHeld() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(handle.isHeld()).as("the renewal noticed the lock was taken").isFalse();
        ReleaseResult release = handle.release();
        assertThat(release.released()).isFalse();
        assertThat(release.message()).contains("lost");
        assertThat(redis.opsForValue().get("pielock:lock:{" + this.key + "}")).as("the thief still holds it")
            .isNotNull();
    }

    @Test
    void theStoreNamesTheRedisItUsesForErrorMessages() {
        TestRedis.Endpoint redis = TestRedis.endpoint();
        assertThat(newStore().describe()).isEqualTo("Redis at " + redis.host() + ":" + redis.port());
    }

    @Test
    void aLoneBraceNamesItsKeysEscaped() {
        LockTemplate template = newProcess();
        StringRedisTemplate redis = redis();
        template.acquire("{");
        template.acquire("}");
        assertThat(redis.hasKey("pielock:lock:{%7B}")).isTrue();
        assertThat(redis.hasKey("pielock:fence:{%7B}")).isTrue();
        assertThat(redis.hasKey("pielock:lock:{%7D}")).isTrue();
        assertThat(template.release("{").released()).isTrue();
        assertThat(template.release("}").released()).isTrue();
        assertThat(redis.hasKey("pielock:lock:{%7B}")).isFalse();
    }

    @Test
    void lockAndFencingCounterShareOneClusterSlotEvenWhenTheNameHasBraces() {
        String hostile = this.key + "}{x";
        LockTemplate template = newProcess();
        template.acquire(hostile);
        StringRedisTemplate redis = redis();
        List<String> written = List.of(KEYS.lock(hostile), KEYS.fence(hostile));
        assertThat(written).allSatisfy(k -> assertThat(redis.hasKey(k)).isTrue());
        assertThat(KEYS.lock(hostile)).isEqualTo("pielock:lock:{" + this.key + "%7D%7Bx}");
        template.release(hostile);
    }

    @Test
    void releasedNamesLeaveNothingInRedisOnceTheirLeaseHasPassedAndTokensStillRise() throws Exception {
        Duration lease = Duration.ofMillis(800);
        LockTemplate template = newProcess(LockOptions.defaults().withExpires(lease));
        int names = 2_000;
        long firstToken = 0;
        for (int i = 0; i < names; i++) {
            try (LockHandle handle = template.lock(this.key + ":" + i)) {
                firstToken = i == 0 ? handle.fencingToken() : firstToken;
            }
        }
        StringRedisTemplate redis = redis();
        String pattern = "pielock:*{" + this.key + ":*";
        long issued = System.nanoTime();
        assertThat(redis.keys(pattern)).as("fencing counters while their lease runs").isNotEmpty()
            .allMatch(k -> k.startsWith("pielock:fence:"));
        Thread.sleep(lease.plusMillis(200).toMillis());
        assertThat(System.nanoTime() - issued).isGreaterThan(lease.toNanos());
        assertThat(redis.keys(pattern)).as("nothing left one lease after the last acquisition").isEmpty();
        try (LockHandle again = template.lock(this.key + ":0")) {
            assertThat(again.fencingToken()).as("higher than before although its counter expired (server time)")
                .isGreaterThan(firstToken);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReleaseReachesOnlyTheProcessesThatWaitForThatLock() throws Exception {
        StringRedisTemplate redis = redis();
        ReleaseAudience.onlyTheWaitersHearAContendedLocksReleases(i -> track(newStore()), this.key,
                name -> redis.execute((RedisCallback<Long>) connection -> {
                    byte[] channel = KEYS.releaseChannel(name).getBytes(StandardCharsets.UTF_8);
                    try {
                        return ((RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection())
                            .pubsubNumsub(channel).get().values().iterator().next();
                    }
                    catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }));
    }
}
