package io.pielock.benchmark.contender;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.lock.LockHandle;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockTemplate;
import io.pielock.lock.ReleaseResult;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;

/**
 * pielock's {@link LockTemplate} over a {@link RedisLockStore}, wired as the auto-configuration wires it for an
 * application that only sets {@code spring.data.redis.*}: key prefix {@code pielock:} and the library's default
 * options.
 */
public final class PielockLocks implements LockContender {

    @Override
    public String name() {
        return "pielock";
    }

    @Override
    public String description() {
        return "`LockTemplate.lock(key)` / `LockHandle.close()` over `RedisLockStore` on a Boot-style "
                + "`LettuceConnectionFactory`; default options (lease 30 s renewed, wait 60 s, fallback poll 1 s), "
                + "one waiter per key per JVM queued in Redis; a release passes the lock to the JVM waiting longest and "
                + "tells it by pub/sub.";
    }

    @Override
    public LockClient connect(RedisEndpoint redis) {
        return new Client(redis);
    }

    private static final class Client implements LockClient {

        private final LettuceConnectionFactory connections;

        private final RedisLockStore store;

        private final LockTemplate locks;

        Client(RedisEndpoint redis) {
            this.connections = BootConnectionFactory.connect(redis);
            this.store = new RedisLockStore(this.connections, new RedisKeys("pielock:"));
            this.locks = new LockTemplate(this.store, LockOptions.defaults());
        }

        @Override
        public HeldLock lock(String key) {
            LockHandle handle = this.locks.lock(key);
            return () -> {
                ReleaseResult released = handle.release();
                if (!released.released()) {
                    throw new IllegalStateException(released.message());
                }
            };
        }

        @Override
        public void close() {
            this.locks.close();
            try {
                this.store.destroy();
            }
            catch (Exception ex) {
                throw new IllegalStateException("Could not stop pielock's release subscription", ex);
            }
            finally {
                this.connections.destroy();
            }
        }
    }
}
