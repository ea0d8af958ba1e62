package io.pielock.benchmark.contender;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The least a correct Redis lock can do, written directly on Lettuce: {@code SET key token NX PX} to acquire,
 * polling every 0.1 ms while someone else holds it, and an EVALSHA compare-and-delete to release. Two round trips
 * per uncontended cycle; no fencing, no renewal, no wake-up on release, no fairness. Every other lock is measured
 * against it.
 */
public final class RawFloorLocks implements LockContender {

    /** How long between attempts while the lock is held elsewhere. */
    static final long POLL_NANOS = 100_000;

    /** Long enough that no benchmark cycle outlives it; the floor does not renew. */
    static final long LEASE_MILLIS = 30_000;

    @Override
    public String name() {
        return Contenders.FLOOR;
    }

    @Override
    public String description() {
        return "Lettuce, one shared connection: `SET key token NX PX 30000`, polling every 0.1 ms while held "
                + "elsewhere; release is one EVALSHA compare-and-delete. 2 round trips per uncontended cycle.";
    }

    @Override
    public LockClient connect(RedisEndpoint redis) {
        return new Client(redis);
    }

    private static final class Client implements LockClient {

        private final RedisClient client;

        private final StatefulRedisConnection<String, String> connection;

        private final RedisCommands<String, String> redis;

        private final String unlockSha;

        private final String owner = Long.toHexString(new SecureRandom().nextLong()) + ":";

        private final AtomicLong acquisitions = new AtomicLong();

        Client(RedisEndpoint endpoint) {
            this.client = RedisClient.create(endpoint.uri());
            this.connection = this.client.connect();
            this.redis = this.connection.sync();
            this.unlockSha = this.redis.scriptLoad(FloorScripts.UNLOCK);
        }

        @Override
        public HeldLock lock(String key) {
            String name = "floor:lock:" + key;
            String token = this.owner + this.acquisitions.incrementAndGet();
            SetArgs ifAbsent = SetArgs.Builder.nx().px(LEASE_MILLIS);
            while (!"OK".equals(this.redis.set(name, token, ifAbsent))) {
                LockSupport.parkNanos(POLL_NANOS);
            }
            return () -> {
                Long deleted = this.redis.evalsha(this.unlockSha, ScriptOutputType.INTEGER, new String[] { name },
                        token);
                if (deleted == null || deleted != 1L) {
                    throw new IllegalStateException("raw floor lock " + name + " was no longer held at release");
                }
            };
        }

        @Override
        public void close() {
            this.connection.close();
            this.client.shutdown();
        }
    }
}
