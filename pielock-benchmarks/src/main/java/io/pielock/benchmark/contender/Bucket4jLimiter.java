package io.pielock.benchmark.contender;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

/**
 * Bucket4j's Lettuce proxy: a token bucket (capacity = count, refilled greedily at count per window) kept as one
 * serialized state per key and updated by compare-and-swap, with the expiry its documentation recommends.
 */
public final class Bucket4jLimiter implements LimiterContender {

    /** What Bucket4j's documentation shows: keys live until the bucket would be full again, plus this. */
    private static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "Bucket4j";
    }

    @Override
    public String description() {
        return "`LettuceBasedProxyManager` (compare-and-swap) on its own Lettuce connection; bucket capacity = "
                + "count, greedy refill of count per window; expiry `basedOnTimeForRefillingBucketUpToMax(10 s)`.";
    }

    @Override
    public AdmissionPromise promise() {
        return new AdmissionPromise(2, "token bucket: a full bucket plus one window's refill");
    }

    @Override
    public LimiterClient connect(RedisEndpoint redis, RateLimit limit) {
        return new Client(redis, limit);
    }

    private static final class Client implements LimiterClient {

        private final RedisClient client;

        private final StatefulRedisConnection<String, byte[]> connection;

        private final LettuceBasedProxyManager<String> buckets;

        private final BucketConfiguration configuration;

        private final ConcurrentHashMap<String, BucketProxy> proxies = new ConcurrentHashMap<>();

        Client(RedisEndpoint redis, RateLimit limit) {
            this.client = RedisClient.create(redis.uri());
            this.connection = this.client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            this.buckets = Bucket4jLettuce.casBasedBuilder(this.connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        KEEP_AFTER_REFILL))
                .build();
            this.configuration = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(limit.count()).refillGreedy(limit.count(), limit.window())
                    .build())
                .build();
        }

        @Override
        public boolean tryAcquire(String key) {
            return this.proxies.computeIfAbsent(key,
                    k -> this.buckets.builder().build("bucket4j:" + k, () -> this.configuration)).tryConsume(1);
        }

        @Override
        public void close() {
            this.connection.close();
            this.client.shutdown();
        }
    }
}
