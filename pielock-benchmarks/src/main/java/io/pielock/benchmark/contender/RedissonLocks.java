package io.pielock.benchmark.contender;

import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/** Redisson's {@link RLock} with its defaults: a watchdog-renewed 30 s lease, waiters woken by pub/sub. */
public final class RedissonLocks implements LockContender {

    @Override
    public String name() {
        return "Redisson";
    }

    @Override
    public String description() {
        return "`redisson.getLock(key).lock()` / `unlock()`, default configuration (watchdog lease 30 s, "
                + "pub/sub wake-ups, its own connection pool).";
    }

    @Override
    public LockClient connect(RedisEndpoint redis) {
        return new Client(redis);
    }

    private static final class Client implements LockClient {

        private final RedissonClient redisson;

        Client(RedisEndpoint redis) {
            this.redisson = RedissonClients.create(redis);
        }

        @Override
        public HeldLock lock(String key) {
            RLock lock = this.redisson.getLock("redisson:lock:" + key);
            lock.lock();
            return lock::unlock;
        }

        @Override
        public void close() {
            this.redisson.shutdown();
        }
    }
}
