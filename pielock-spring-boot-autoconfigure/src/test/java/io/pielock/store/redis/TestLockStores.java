package io.pielock.store.redis;

import java.time.Duration;

/** Settings of {@link RedisLockStore} that only tests change, for tests outside its package. */
public final class TestLockStores {

    private TestLockStores() {
    }

    /**
     * @param store a store
     * @param linger how long its release channels stay subscribed after their last waiter (instead of
     *        {@link RedisLockStore#LINGER})
     * @return the store
     */
    public static RedisLockStore withLinger(RedisLockStore store, Duration linger) {
        store.setLinger(linger);
        return store;
    }
}
