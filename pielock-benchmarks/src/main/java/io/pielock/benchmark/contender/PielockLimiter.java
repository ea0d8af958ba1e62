package io.pielock.benchmark.contender;

import java.lang.reflect.InvocationTargetException;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.limiter.Limiter;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisRateLimitStore;

/**
 * pielock's {@link Limiter} over a {@link RedisRateLimitStore}: an exact sliding window, one Lua script per
 * decision, wired as the auto-configuration wires it (key prefix {@code pielock:}, failing closed, denials
 * remembered). {@code -Dbench.pielock.remember-denials=false} makes pielock's limiters ask Redis for every call.
 */
public final class PielockLimiter implements LimiterContender {

    /** Whether pielock's limiters remember denials (its default); false only when the property says so. */
    static final boolean REMEMBER_DENIALS = !"false"
        .equalsIgnoreCase(System.getProperty("bench.pielock.remember-denials", "true").trim());

    @Override
    public String name() {
        return "pielock";
    }

    @Override
    public String description() {
        return "`Limiter.allow(key, window, count)` over `RedisRateLimitStore` on a Boot-style "
                + "`LettuceConnectionFactory`: an exact sliding window (a ring of the last "
                + "count call times in one string, on Redis server time), 1 round trip" + rememberingDenials() + ".";
    }

    /** @return how the store treats denials, for a contender's description */
    static String rememberingDenials() {
        return REMEMBER_DENIALS ? "; a denial is remembered until the call could fit, and such calls are denied "
                + "without a round trip (the default)" : "; every call asks Redis (`remember-denials` off)";
    }

    /**
     * @param connections the connections
     * @return the store as the auto-configuration makes it, or one that asks Redis for every call when
     *         {@link #REMEMBER_DENIALS} is off (a pielock without the choice always asks)
     */
    static RedisRateLimitStore store(RedisConnectionFactory connections) {
        RedisKeys keys = new RedisKeys("pielock:");
        if (REMEMBER_DENIALS) {
            return new RedisRateLimitStore(connections, keys);
        }
        try {
            return RedisRateLimitStore.class
                .getConstructor(RedisConnectionFactory.class, RedisKeys.class, boolean.class)
                .newInstance(connections, keys, false);
        }
        catch (NoSuchMethodException ex) {
            return new RedisRateLimitStore(connections, keys);
        }
        catch (InstantiationException | IllegalAccessException | InvocationTargetException ex) {
            throw new IllegalStateException("Could not make a RedisRateLimitStore: " + ex, ex);
        }
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
            this.limiter = new Limiter(store(this.connections));
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
