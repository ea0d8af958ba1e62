package io.pielock.reactive;

import io.pielock.test.RedisCluster;

/** The reactive {@code @DistributedLocked} contract on a real Redis Cluster. */
class RedisClusterReactiveLockedTest extends AbstractReactiveLockedContractTest {

    @Override
    protected String[] storeProperties() {
        return RedisCluster.shared().springProperties();
    }
}
