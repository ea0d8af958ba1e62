package io.pielock.test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.limiter.Limiter;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockTemplate;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.store.redis.RedisRateLimitStore;

/**
 * Application instances for tests, as {@code newProcess()} in the lock contract suite: each is a
 * {@link LockTemplate} over its own {@link RedisLockStore}, or a {@link Limiter} over its own
 * {@link RedisRateLimitStore}, with its own connections, and all are closed together.
 */
public final class LockProcesses implements AutoCloseable {

    /** How the tests' stores name keys. */
    public static final RedisKeys KEYS = new RedisKeys("pielock:");

    private final Supplier<LettuceConnectionFactory> connections;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    /**
     * @param connections makes a started connection factory for each new process
     */
    public LockProcesses(Supplier<LettuceConnectionFactory> connections) {
        this.connections = connections;
    }

    /**
     * @param defaults the process's lock defaults
     * @return a new process
     */
    public LockTemplate newProcess(LockOptions defaults) {
        return newProcess(defaults, 0);
    }

    /**
     * @param defaults the process's lock defaults
     * @param minReplicasAcked replicas each acquisition waits for
     * @return a new process
     */
    public LockTemplate newProcess(LockOptions defaults, int minReplicasAcked) {
        LettuceConnectionFactory factory = this.connections.get();
        RedisLockStore store = new RedisLockStore(factory, KEYS, minReplicasAcked);
        LockTemplate template = new LockTemplate(store, defaults);
        this.closeables.add(template);
        this.closeables.add(store::destroy);
        this.closeables.add(factory::destroy);
        return template;
    }

    /**
     * @param failOpen whether the limiter allows calls when Redis cannot be reached
     * @return a new process's limiter
     */
    public Limiter newLimiter(boolean failOpen) {
        LettuceConnectionFactory factory = this.connections.get();
        this.closeables.add(factory::destroy);
        return new Limiter(new RedisRateLimitStore(factory, KEYS), failOpen);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : this.closeables) {
            closeable.close();
        }
        this.closeables.clear();
    }
}
