package io.pielock.benchmark.contender;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The least a Redis rate limiter can do, written directly on Lettuce: one EVALSHA of {@code INCR} plus
 * {@code PEXPIRE} on the first call of a window. One round trip and a few bytes per key, but a fixed window:
 * up to twice the count can pass within one window's length around a window's end.
 */
public final class RawFloorLimiter implements LimiterContender {

    @Override
    public String name() {
        return Contenders.FLOOR;
    }

    @Override
    public String description() {
        return "Lettuce, one shared connection: one EVALSHA of `INCR` + `PEXPIRE` on a window's first call "
                + "(a fixed window starting with its first call). 1 round trip; not exact.";
    }

    @Override
    public AdmissionPromise promise() {
        return new AdmissionPromise(2, "fixed window: the ends of two windows can meet");
    }

    @Override
    public LimiterClient connect(RedisEndpoint redis, RateLimit limit) {
        return new Client(redis, limit);
    }

    private static final class Client implements LimiterClient {

        private final RedisClient client;

        private final StatefulRedisConnection<String, String> connection;

        private final RedisCommands<String, String> redis;

        private final String limitSha;

        private final String windowMillis;

        private final long count;

        Client(RedisEndpoint endpoint, RateLimit limit) {
            this.client = RedisClient.create(endpoint.uri());
            this.connection = this.client.connect();
            this.redis = this.connection.sync();
            this.limitSha = this.redis.scriptLoad(FloorScripts.LIMIT);
            this.windowMillis = Long.toString(limit.window().toMillis());
            this.count = limit.count();
        }

        @Override
        public boolean tryAcquire(String key) {
            Long calls = this.redis.evalsha(this.limitSha, ScriptOutputType.INTEGER,
                    new String[] { "floor:limit:" + key }, this.windowMillis);
            return calls <= this.count;
        }

        @Override
        public void close() {
            this.connection.close();
            this.client.shutdown();
        }
    }
}
