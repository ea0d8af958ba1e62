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
 * <p>
 * A denial is remembered until the call could first fit ({@link RememberedDenials}): until then, a call of the
 * same key, limits and cost, which Redis would deny too, is denied here without a round trip. Pass
 * {@code rememberDenials = false} to ask Redis for every call.
 */
public class RedisRateLimitStore implements RateLimitStore {

    private final ScriptRunner scripts;

    private final String endpoint;

    private final LimitCalls calls;

    private final RememberedDenials denials;

    /**
     * A store that remembers denials.
     * @param connectionFactory the Redis connections to use (nothing connects until the first call)
     * @param keys how keys are named
     */
    public RedisRateLimitStore(RedisConnectionFactory connectionFactory, RedisKeys keys) {
        this(connectionFactory, keys, true);
    }

    /**
     * @param connectionFactory the Redis connections to use (nothing connects until the first call)
     * @param keys how keys are named
     * @param rememberDenials whether a denial is remembered until the call could first fit, and such calls are
     *        denied without asking Redis ({@code pielock.limiter.remember-denials})
     */
    public RedisRateLimitStore(RedisConnectionFactory connectionFactory, RedisKeys keys, boolean rememberDenials) {
        this.scripts = new ScriptRunner(connectionFactory);
        this.endpoint = RedisEndpoints.describe(connectionFactory);
        this.calls = new LimitCalls(keys);
        this.denials = new RememberedDenials(rememberDenials);
    }

    @Override
    public LimitAttempt tryConsume(String key, List<Limit> limits) {
        return tryConsume(key, limits, 1);
    }

    @Override
    public LimitAttempt tryConsume(String key, List<Limit> limits, long cost) {
        LimitAttempt remembered = this.denials.recall(key, limits, cost);
        if (remembered != null) {
            return remembered;
        }
        LimitCalls.Call call = this.calls.consume(key, limits, cost);
        long refunds = this.denials.refundsSoFar();
        long sent = System.nanoTime();
        List<?> reply = this.scripts.run(call.script(), call.returnType(), call.numKeys(), call.keysAndArgs());
        LimitAttempt attempt = LimitCalls.attempt(limits, reply, cost);
        this.denials.remember(key, limits, cost, sent, refunds, attempt);
        return attempt;
    }

    @Override
    public void refund(String key, LimitAttempt recorded) {
        this.denials.refunding(key);
        try {
            LimitCalls.Call call = this.calls.refund(key, recorded);
            this.scripts.run(call.script(), call.returnType(), call.numKeys(), call.keysAndArgs());
        }
        finally {
            this.denials.refunding(key);
        }
    }

    /** @return whether denials are remembered ({@code pielock.limiter.remember-denials}) */
    @Override
    public boolean remembersDenials() {
        return this.denials.enabled();
    }

    /** @return the Redis this store uses (hosts and ports, no credentials) */
    @Override
    public String describe() {
        return this.endpoint;
    }
}
