package io.pielock.benchmark.contender;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.limiter.Limiter;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisRateLimitStore;

/**
 * pielock's {@link Limiter} over a {@link RedisRateLimitStore}: an exact sliding window, one Lua script per
 * decision, wired as the auto-configuration wires it (key prefix {@code pielock:}, failing closed).
 */
public final class PielockLimiter implements LimiterContender {

    @Override
    public String name() {
        return "pielock";
    }

    @Override
    public String description() {
        return "`Limiter.allow(key, window, count)` over `RedisRateLimitStore` on a Boot-style "
                + "`LettuceConnectionFactory`: an exact sliding window (a ring of the last "
                + "count call times in one string, on Redis server time), 1 round trip.";
    }

    @Override
    public AdmissionPromise promise() {
        return new AdmissionPromise(1, "exact sliding window");
    }

    @Override
    public LimiterClient connect(RedisEndpoint redis, RateLimit limit) {
        return new Client(redis, limit);
    }

    private static final class Client implements LimiterClient {

        private final LettuceConnectionFactory connections;

        private final Limiter limiter;

        private final RateLimit limit;

        Client(RedisEndpoint redis, RateLimit limit) {
            this.connections = BootConnectionFactory.connect(redis);
            this.limiter = new Limiter(new RedisRateLimitStore(this.connections, new RedisKeys("pielock:")));
            this.limit = limit;
        }

        @Override
        public boolean tryAcquire(String key) {
            return this.limiter.allow(key, this.limit.window(), this.limit.count()).allowed();
        }

        @Override
        public void close() {
            this.connections.destroy();
        }
    }
}
