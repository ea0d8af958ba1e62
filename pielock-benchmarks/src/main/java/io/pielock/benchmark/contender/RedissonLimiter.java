package io.pielock.benchmark.contender;

import java.util.concurrent.ConcurrentHashMap;

import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;

/**
 * Redisson's {@link RRateLimiter}: a sliding window kept as a sorted set of permits on the client's clock (in
 * milliseconds), plus a config hash and a counter per key. Each key's rate is set once per client
 * ({@code trySetRate}, an extra round trip on the key's first use), as an application would do it.
 */
public final class RedissonLimiter implements LimiterContender {

    @Override
    public String name() {
        return "Redisson";
    }

    @Override
    public String description() {
        return "`RRateLimiter.tryAcquire()` after `trySetRate(OVERALL, count, window)` once per key and client "
                + "(no keep-alive, so its keys get no TTL); a sliding window on the client's clock in ms.";
    }

    @Override
    public AdmissionPromise promise() {
        return new AdmissionPromise(1, "sliding window");
    }

    @Override
    public LimiterClient connect(RedisEndpoint redis, RateLimit limit) {
        return new Client(redis, limit);
    }

    private static final class Client implements LimiterClient {

        private final RedissonClient redisson;

        private final RateLimit limit;

        private final ConcurrentHashMap<String, RRateLimiter> limiters = new ConcurrentHashMap<>();

        Client(RedisEndpoint redis, RateLimit limit) {
            this.redisson = RedissonClients.create(redis);
            this.limit = limit;
        }

        @Override
        public boolean tryAcquire(String key) {
            return this.limiters.computeIfAbsent(key, this::rateLimiter).tryAcquire();
        }

        private RRateLimiter rateLimiter(String key) {
            RRateLimiter limiter = this.redisson.getRateLimiter("redisson:limit:" + key);
            limiter.trySetRate(RateType.OVERALL, this.limit.count(), this.limit.window());
            return limiter;
        }

        @Override
        public void close() {
            this.redisson.shutdown();
        }
    }
}
