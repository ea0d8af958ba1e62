package io.pielock.lock;

import java.util.List;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.store.redis.ReactiveRedisLockStore;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.RedisCluster;

/**
 * The reactive lock specification, unchanged, against a real three-master Redis Cluster reached only through
 * cluster configuration: each lock's keys share one slot, and each script reaches its slot's master through the
 * reactive cluster connection. Store entries are counted on every master.
 */
class RedisClusterReactiveLockTemplateTest extends AbstractReactiveLockTemplateContractTest {

    private static final RedisKeys KEYS = new RedisKeys("pielock:");

    private StringRedisTemplate raw;

    @Override
    protected Process newStores() {
        LettuceConnectionFactory factory = track(RedisCluster.shared().connectedFactory());
        RedisLockStore blocking = new RedisLockStore(factory, KEYS);
        return new Process(blocking, new ReactiveRedisLockStore(factory, blocking));
    }

    private StringRedisTemplate raw() {
        if (this.raw == null) {
            this.raw = new StringRedisTemplate(track(RedisCluster.shared().connectedFactory()));
        }
        return this.raw;
    }

    @Override
    protected boolean heldInStore(String key) {
        return Boolean.TRUE.equals(raw().hasKey(KEYS.lock(key)));
    }

    @Override
    protected long entriesInStore(String prefix) {
        String pattern = "pielock:*{" + prefix + "*";
        return RedisCluster.shared().masters().stream()
            .mapToLong(master -> ((List<?>) master.call("KEYS", pattern)).size()).sum();
    }

    @Override
    protected void deleteBehindTheHoldersBack(ReactiveLockHandle handle) {
        raw().delete(KEYS.lock(handle.key()));
    }
}
