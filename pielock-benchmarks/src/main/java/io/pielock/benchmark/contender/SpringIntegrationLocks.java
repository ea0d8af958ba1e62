package io.pielock.benchmark.contender;

import java.util.Locale;
import java.util.concurrent.locks.Lock;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;
import org.springframework.integration.redis.util.RedisLockRegistry.RedisLockType;

/**
 * Spring Integration's {@link RedisLockRegistry} in one of its two modes, with its defaults otherwise: spin
 * ({@code SPIN_LOCK}, retrying every 100 ms while held elsewhere) or pub/sub ({@code PUB_SUB_LOCK}, woken by the
 * release's message). Both queue a JVM's threads on a local lock first.
 */
public final class SpringIntegrationLocks implements LockContender {

    private final RedisLockType type;

    /**
     * @param type the registry's mode
     */
    public SpringIntegrationLocks(RedisLockType type) {
        this.type = type;
    }

    @Override
    public String name() {
        return (this.type == RedisLockType.SPIN_LOCK) ? "SI spin" : "SI pub/sub";
    }

    @Override
    public String description() {
        return "`RedisLockRegistry.obtain(key).lock()` / `unlock()` in `" + this.type + "` mode on a Boot-style "
                + "`LettuceConnectionFactory`, defaults otherwise (expire after 60 s"
                + ((this.type == RedisLockType.SPIN_LOCK) ? ", 100 ms between tries" : "") + ").";
    }

    @Override
    public LockClient connect(RedisEndpoint redis) {
        return new Client(redis, this.type);
    }

    private static final class Client implements LockClient {

        private final LettuceConnectionFactory connections;

        private final RedisLockRegistry registry;

        Client(RedisEndpoint redis, RedisLockType type) {
            this.connections = BootConnectionFactory.connect(redis);
            this.registry = new RedisLockRegistry(this.connections,
                    "si-" + type.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            this.registry.setRedisLockType(type);
        }

        @Override
        public HeldLock lock(String key) {
            Lock lock = this.registry.obtain(key);
            lock.lock();
            return lock::unlock;
        }

        @Override
        public void close() {
            this.registry.destroy();
            this.connections.destroy();
        }
    }
}
