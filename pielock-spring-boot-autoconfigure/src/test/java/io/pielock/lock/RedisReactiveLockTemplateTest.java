package io.pielock.lock;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import io.pielock.store.redis.ReactiveRedisLockStore;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive lock specification against a real Redis; each "process" has its own connections, shared by its
 * blocking and reactive stores. What the test reads in Redis, it reads with a raw connection of its own.
 */
class RedisReactiveLockTemplateTest extends AbstractReactiveLockTemplateContractTest {

    private static final RedisKeys KEYS = new RedisKeys("pielock:");

    private StringRedisTemplate raw;

    @Override
    protected Process newStores() {
        LettuceConnectionFactory factory = track(TestRedis.connectionFactory());
        RedisLockStore blocking = new RedisLockStore(factory, KEYS);
        return new Process(blocking, new ReactiveRedisLockStore(factory, blocking));
    }

    private StringRedisTemplate raw() {
        if (this.raw == null) {
            this.raw = new StringRedisTemplate(track(TestRedis.connectionFactory()));
        }
        return this.raw;
    }

    @Override
    protected boolean heldInStore(String key) {
        return Boolean.TRUE.equals(raw().hasKey(KEYS.lock(key)));
    }

    @Override
    protected long entriesInStore(String prefix) {
        return raw().keys("pielock:*{" + prefix + "*").size();
    }

    @Override
    protected void deleteBehindTheHoldersBack(ReactiveLockHandle handle) {
        raw().delete(KEYS.lock(handle.key()));
    }

    @Test
    void aReactiveHoldWritesTheSameKeysAsABlockingOne() {
        ReactiveLockTemplate template = newProcess();
        StepVerifier.create(template.execute(this.key, Mono.fromCallable(
                () -> List.of(raw().hasKey(KEYS.lock(this.key)), raw().hasKey(KEYS.fence(this.key))))
            .subscribeOn(Schedulers.boundedElastic())))
            .assertNext(written -> assertThat(written).containsExactly(true, true))
            .verifyComplete();
        assertThat(raw().hasKey(KEYS.lock(this.key))).isFalse();
    }
}
