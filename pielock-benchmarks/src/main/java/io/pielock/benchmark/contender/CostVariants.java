package io.pielock.benchmark.contender;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * The ways of doing one operation that the cost breakdown compares, each peeling off one layer: the raw floor; the
 * floor's own commands through Spring Data Redis; pielock's script sent directly on Lettuce (what Redis runs, and
 * nothing of pielock's Java); pielock's public API (what pielock's Java adds on top). Each connects like the
 * contender of the same name in the main benchmark.
 */
public final class CostVariants {

    /** The limit every limiter variant decides against: 1000 per second, as in the main benchmark. */
    public static final RateLimit LIMIT = new RateLimit(1000, Duration.ofSeconds(1));

    private CostVariants() {
    }

    /**
     * @param keys how many limiter keys the limiter variants spread their calls over
     * @return every variant, limiter decisions first, then lock cycles
     */
    public static List<CostVariant> all(int keys) {
        LimiterContender gcra = PielockConstantMemoryLimiter.ifAvailable()
            .orElseThrow(() -> new IllegalStateException("This pielock has no GCRA limits"));
        return List.of(
                limiter("raw floor (`INCR` script, Lettuce)", keys, redis -> new RawFloorLimiter().connect(redis, LIMIT)),
                limiter("the floor's script through Spring Data Redis", keys, SpringDataFloorLimiter::new),
                limiter("pielock's sliding-window script, sent directly on Lettuce", keys,
                        redis -> new DirectScript(redis, "sliding", "1000000", "1000", "1000",
                                "limit-ring.lua", "limit-sliding.lua")),
                limiter("pielock `Limiter.allow`, sliding window", keys,
                        redis -> new PielockLimiter().connect(redis, LIMIT)),
                limiter("pielock's GCRA script, sent directly on Lettuce", keys,
                        redis -> new DirectScript(redis, "gcra", "1000", "1000", "1000", "limit-gcra.lua")),
                limiter("pielock `Limiter.allow`, GCRA", keys, redis -> gcra.connect(redis, LIMIT)),
                lock("raw floor (`SET NX PX`, compare-and-delete script; Lettuce)", new RawFloorLocks()),
                lock("the floor's commands through Spring Data Redis", new SpringDataFloorLocks()),
                lock("pielock `LockTemplate.lock` / `close`", new PielockLocks()));
    }

    private static CostVariant limiter(String name, int keys, Function<RedisEndpoint, LimiterClient> connect) {
        return new CostVariant(name, CostVariant.LIMITER, redis -> {
            LimiterClient client = connect.apply(redis);
            return new CostVariant.Running() {
                @Override
                public void once(int thread, int random) {
                    client.tryAcquire("k" + Math.floorMod(random, keys));
                }

                @Override
                public void close() {
                    client.close();
                }
            };
        });
    }

    private static CostVariant lock(String name, LockContender contender) {
        return new CostVariant(name, CostVariant.LOCK, redis -> {
            LockClient client = contender.connect(redis);
            return new CostVariant.Running() {
                @Override
                public void once(int thread, int random) {
                    client.lock("own" + thread).unlock();
                }

                @Override
                public void close() {
                    client.close();
                }
            };
        });
    }

    /** The floor's limit script, by EVALSHA through one {@code LettuceConnection} of a Boot-style factory. */
    private static final class SpringDataFloorLimiter implements LimiterClient {

        private final LettuceConnectionFactory connections;

        private final byte[] sha;

        private final byte[] window = ascii(LIMIT.window().toMillis());

        SpringDataFloorLimiter(RedisEndpoint redis) {
            this.connections = BootConnectionFactory.connect(redis);
            try (RedisConnection connection = this.connections.getConnection()) {
                this.sha = ascii(connection.scriptingCommands()
                    .scriptLoad(FloorScripts.LIMIT.getBytes(StandardCharsets.UTF_8)));
            }
        }

        @Override
        public boolean tryAcquire(String key) {
            try (RedisConnection connection = this.connections.getConnection()) {
                Long calls = connection.scriptingCommands().evalSha(this.sha, ReturnType.INTEGER, 1,
                        ascii("floor:limit:" + key), this.window);
                return calls != null && calls <= LIMIT.count();
            }
        }

        @Override
        public void close() {
            this.connections.destroy();
        }
    }

    /**
     * One of pielock's limiter scripts, read from its class path as the store joins it, sent by EVALSHA on a plain
     * Lettuce connection with the arguments the store sends for {@link #LIMIT}: what Redis runs for a decision,
     * without pielock's Java or Spring Data Redis.
     */
    private static final class DirectScript implements LimiterClient {

        private final RedisClient client;

        private final StatefulRedisConnection<byte[], byte[]> connection;

        private final RedisCommands<byte[], byte[]> redis;

        private final String sha;

        private final String suffix;

        private final byte[][] arguments;

        DirectScript(RedisEndpoint endpoint, String algorithm, String windowOrInterval, String count, String ttl,
                String... scripts) {
            StringBuilder text = new StringBuilder();
            for (String script : scripts) {
                text.append(FloorScripts.read("/io/pielock/store/redis/" + script));
            }
            this.client = RedisClient.create(endpoint.uri());
            this.connection = this.client.connect(ByteArrayCodec.INSTANCE);
            this.redis = this.connection.sync();
            this.sha = this.redis.scriptLoad(text.toString().getBytes(StandardCharsets.UTF_8));
            this.suffix = "}:" + LIMIT.window().toMillis() + "ms:" + algorithm;
            this.arguments = new byte[][] { ascii(windowOrInterval), ascii(count), ascii(ttl), ascii("1") };
        }

        @Override
        public boolean tryAcquire(String key) {
            List<Object> reply = this.redis.evalsha(this.sha, ScriptOutputType.MULTI,
                    new byte[][] { ascii("pielock:limit:{" + key + this.suffix) }, this.arguments);
            return ((Long) reply.get(0)) == 1L;
        }

        @Override
        public void close() {
            this.connection.close();
            this.client.shutdown();
        }
    }

    private static byte[] ascii(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.US_ASCII);
    }
}
