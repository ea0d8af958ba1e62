package io.pielock.reactive;

import io.pielock.test.TestRedis;

/** The reactive {@code @DistributedLocked} contract on a real Redis. */
class RedisReactiveLockedTest extends AbstractReactiveLockedContractTest {

    @Override
    protected String[] storeProperties() {
        return TestRedis.endpoint().springProperties();
    }
}
