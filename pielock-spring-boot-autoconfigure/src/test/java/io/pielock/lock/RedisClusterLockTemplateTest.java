package io.pielock.lock;

import java.time.Duration;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.RedisCluster;

/**
 * The lock specification, unchanged, against a real three-master Redis Cluster reached only through cluster
 * configuration (each "process" has its own cluster connections). Release wake-ups travel over the cluster
 * bus: the release script publishes on the node owning the lock's slot, the waiter listens on another.
 */
class RedisClusterLockTemplateTest extends AbstractLockTemplateContractTest {

    private static final RedisKeys KEYS = new RedisKeys("pielock:");

    @Override
    protected LockStore newStore() {
        LettuceConnectionFactory factory = track(RedisCluster.shared().connectionFactory());
        return track(new RedisLockTemplateTest.ClosingStore(new RedisLockStore(factory, KEYS)));
    }
}
