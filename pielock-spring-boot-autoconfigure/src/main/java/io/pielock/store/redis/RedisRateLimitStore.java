package io.pielock.store.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitAttempt;
import io.pielock.limiter.RateLimitStore;
import io.pielock.limiter.WindowState;

/**
 * A {@link RateLimitStore} on Redis (standalone, Sentinel or Cluster, through Spring Data Redis). Each decision
 * is one Lua script ({@code limit-consume.lua} beside this class), so one round trip and atomic, on the
 * server's clock ({@code TIME}), never the client's.
 * <p>
 * Each limit of a key is a sorted set of the calls its window admitted, named
 * {@link RedisKeys#limit(String, Duration)}, for example {@code pielock:limit:{mylist}:1000ms}: the window in
 * the name keeps limits of different windows apart, and the shared hash tag puts all of a key's windows in one
 * Cluster slot so one script decides them together. Every call trims the set; a denied call adds nothing, so a
 * set holds at most {@code count} members (measured on Redis 7: about 40 bytes each up to 128 members, about
 * 130 beyond). The set expires one window after its newest call, so idle keys vanish.
 */
public class RedisRateLimitStore implements RateLimitStore {

    private final StringRedisTemplate redis;

    private final RedisKeys keys;

    /**
     * @param connectionFactory the Redis connections to use (nothing connects until the first call)
     * @param keys how keys are named
     */
    public RedisRateLimitStore(RedisConnectionFactory connectionFactory, RedisKeys keys) {
        this.redis = new StringRedisTemplate(connectionFactory);
        this.keys = keys;
    }

    @Override
    public LimitAttempt tryConsume(String key, List<Limit> limits, String permit) {
        Object[] args = new Object[1 + 2 * limits.size()];
        args[0] = permit;
        for (int i = 0; i < limits.size(); i++) {
            args[1 + 2 * i] = Long.toString(limits.get(i).window().toMillis());
            args[2 + 2 * i] = Long.toString(limits.get(i).count());
        }
        List<Long> reply = this.redis.execute(LimitScripts.CONSUME, windowKeys(key, limits), args);
        List<WindowState> windows = new ArrayList<>(limits.size());
        for (int i = 0; i < limits.size(); i++) {
            windows.add(new WindowState(limits.get(i), reply.get(1 + 2 * i),
                    Duration.ofNanos(Math.multiplyExact(reply.get(2 + 2 * i), 1000L))));
        }
        return new LimitAttempt(reply.get(0) == 1L, windows);
    }

    @Override
    public void refund(String key, List<Limit> limits, String permit) {
        this.redis.execute(LimitScripts.REFUND, windowKeys(key, limits), permit);
    }

    private List<String> windowKeys(String key, List<Limit> limits) {
        List<String> names = new ArrayList<>(limits.size());
        for (Limit limit : limits) {
            names.add(this.keys.limit(key, limit.window()));
        }
        return names;
    }
}
