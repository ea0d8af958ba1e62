package io.pielock.store.redis;

import java.util.List;

import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitAttempt;
import io.pielock.limiter.RateLimitStore;

/**
 * A {@link RateLimitStore} on Redis (standalone, Sentinel or Cluster, through Spring Data Redis). Each decision
 * is one Lua script ({@code limit-sliding.lua} or {@code limit-gcra.lua} for a key's single limit,
 * {@code limit-consume.lua} for several, beside this class), so one round trip and atomic, on the
 * server's clock ({@code TIME}), never the client's.
 * <p>
 * Each limit of a key is one Redis string, named {@link RedisKeys#limit(String, Limit)}, for example
 * {@code pielock:limit:{mylist}:1000ms:sliding}: the window in the name keeps limits of different windows
 * apart, and the shared hash tag puts all of a key's windows in one Cluster slot so one script decides them
 * together.
 * <ul>
 * <li>A sliding window's string is a ring of the times of the calls the window allowed, 8 bytes each
 * ({@code limit-ring.lua} describes it): a decision reads the call {@code count} back, and writes one slot if
 * allowed; a denied call writes nothing. The ring grows, doubling, only while all its calls are inside the
 * window, up to {@code count} slots (measured on Redis 7: about 1,000 bytes per key for 100 calls a minute after
 * 100 calls). It expires one window after its newest call, so idle keys vanish.</li>
 * <li>A GCRA limit's string is one 8-byte number, its theoretical arrival time in microseconds (about 100
 * bytes per key, whatever the count), expiring {@code count} intervals after the last allowed call, by when that
 * time has passed.</li>
 * </ul>
 * Scripts run by SHA on a connection straight from the factory, not through {@code RedisTemplate}, whose
 * per-call proxy and serializers cost more than a decision; on Spring Boot's default Lettuce set-up, one
 * connection object serves every call ({@link ScriptRunner}).
 */
public class RedisRateLimitStore implements RateLimitStore {

    private final ScriptRunner scripts;

    private final String endpoint;

    private final LimitCalls calls;

    /**
     * @param connectionFactory the Redis connections to use (nothing connects until the first call)
     * @param keys how keys are named
     */
    public RedisRateLimitStore(RedisConnectionFactory connectionFactory, RedisKeys keys) {
        this.scripts = new ScriptRunner(connectionFactory);
        this.endpoint = RedisEndpoints.describe(connectionFactory);
        this.calls = new LimitCalls(keys);
    }

    @Override
    public LimitAttempt tryConsume(String key, List<Limit> limits) {
        return tryConsume(key, limits, 1);
    }

    @Override
    public LimitAttempt tryConsume(String key, List<Limit> limits, long cost) {
        LimitCalls.Call call = this.calls.consume(key, limits, cost);
        List<?> reply = this.scripts.run(call.script(), call.returnType(), call.numKeys(), call.keysAndArgs());
        return LimitCalls.attempt(limits, reply, cost);
    }

    @Override
    public void refund(String key, LimitAttempt recorded) {
        LimitCalls.Call call = this.calls.refund(key, recorded);
        this.scripts.run(call.script(), call.returnType(), call.numKeys(), call.keysAndArgs());
    }

    /** @return the Redis this store uses (hosts and ports, no credentials) */
    @Override
    public String describe() {
        return this.endpoint;
    }
}
