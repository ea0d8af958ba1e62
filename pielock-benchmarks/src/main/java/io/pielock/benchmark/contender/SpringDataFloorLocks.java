package io.pielock.benchmark.contender;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.types.Expiration;

/**
 * A reference, not a contender: the raw floor's two commands ({@code SET NX PX}, then the EVALSHA
 * compare-and-delete) sent through Spring Data Redis, as pielock sends its scripts: one {@code LettuceConnection}
 * from a Boot-style {@link LettuceConnectionFactory}, on its shared native connection. Its ratio to the floor is
 * what Spring Data Redis's layer costs a lock before the lock does anything more than the floor. Run in the
 * uncontended scenarios only.
 */
public final class SpringDataFloorLocks implements LockContender {

    @Override
    public String name() {
        return Contenders.SPRING_DATA_FLOOR;
    }

    @Override
    public String description() {
        return "Reference for rows 1 and 2, not a contender: the raw floor's `SET NX PX` and EVALSHA compare-and-"
                + "delete sent through Spring Data Redis (one `LettuceConnection` of a Boot-style factory, shared "
                + "native connection), as pielock sends its scripts. Its ratio is what that layer alone costs.";
    }

    @Override
    public LockClient connect(RedisEndpoint redis) {
        return new Client(redis);
    }

    private static final class Client implements LockClient {

        private final LettuceConnectionFactory factory;

        private final RedisConnection connection;

        private final byte[] unlockSha;

        private final String owner = Long.toHexString(new SecureRandom().nextLong()) + ":";

        private final AtomicLong acquisitions = new AtomicLong();

        Client(RedisEndpoint endpoint) {
            this.factory = BootConnectionFactory.connect(endpoint);
            this.connection = this.factory.getConnection();
            this.unlockSha = this.connection.scriptingCommands().scriptLoad(bytes(FloorScripts.UNLOCK))
                .getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public HeldLock lock(String key) {
            byte[] name = bytes("sdfloor:lock:" + key);
            byte[] token = bytes(this.owner + this.acquisitions.incrementAndGet());
            Expiration lease = Expiration.milliseconds(RawFloorLocks.LEASE_MILLIS);
            while (!Boolean.TRUE.equals(this.connection.stringCommands().set(name, token, lease, SetOption.ifAbsent()))) {
                LockSupport.parkNanos(RawFloorLocks.POLL_NANOS);
            }
            return () -> {
                Long deleted = this.connection.scriptingCommands().evalSha(this.unlockSha, ReturnType.INTEGER, 1, name,
                        token);
                if (deleted == null || deleted != 1L) {
                    throw new IllegalStateException("Spring Data floor lock " + new String(name, StandardCharsets.UTF_8)
                            + " was no longer held at release");
                }
            };
        }

        @Override
        public void close() {
            this.connection.close();
            this.factory.destroy();
        }

        private static byte[] bytes(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
