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
 * Each limit of a key is one Redis string, named {@link RedisKeys#limit(String, Limit)}, for example
 * {@code pielock:limit:{mylist}:1000ms:sliding}: the window in the name keeps limits of different windows
 * apart, and the shared hash tag puts all of a key's windows in one Cluster slot so one script decides them
 * together. The string is a ring of the times of the calls the window allowed, 8 bytes each ({@code
 * limit-ring.lua} describes it): a decision reads the call {@code count} back, and writes one slot if allowed;
 * a denied call writes nothing. The ring grows, doubling, only while all its calls are inside the window, up
 * to {@code count} slots (measured on Redis 7: about 1,000 bytes per key for 100 calls a minute after 100
 * calls). The key expires one window after its newest call, so idle keys vanish.
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
    public LimitAttempt tryConsume(String key, List<Limit> limits) {
        Object[] args = new Object[2 * limits.size()];
        for (int i = 0; i < limits.size(); i++) {
            args[2 * i] = Long.toString(limits.get(i).window().toMillis());
            args[2 * i + 1] = Long.toString(limits.get(i).count());
        }
        List<Long> reply = this.redis.execute(LimitScripts.CONSUME, windowKeys(key, limits), args);
        List<WindowState> windows = new ArrayList<>(limits.size());
        for (int i = 0; i < limits.size(); i++) {
            windows.add(new WindowState(limits.get(i), reply.get(1 + 3 * i),
                    Duration.ofNanos(Math.multiplyExact(reply.get(2 + 3 * i), 1000L)), reply.get(3 + 3 * i)));
        }
        return new LimitAttempt(reply.get(0) == 1L, windows);
    }

    @Override
    public void refund(String key, LimitAttempt recorded) {
        List<Limit> limits = new ArrayList<>(recorded.windows().size());
        Object[] marks = new Object[recorded.windows().size()];
        for (int i = 0; i < marks.length; i++) {
            limits.add(recorded.windows().get(i).limit());
            marks[i] = Long.toString(recorded.windows().get(i).mark());
        }
        this.redis.execute(LimitScripts.REFUND, windowKeys(key, limits), marks);
    }

    private List<String> windowKeys(String key, List<Limit> limits) {
        List<String> names = new ArrayList<>(limits.size());
        for (Limit limit : limits) {
            names.add(this.keys.limit(key, limit));
        }
        return names;
    }
}
