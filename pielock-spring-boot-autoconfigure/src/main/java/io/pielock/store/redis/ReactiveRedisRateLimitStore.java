package io.pielock.store.redis;

import java.util.List;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import reactor.core.publisher.Mono;

import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitAttempt;
import io.pielock.limiter.ReactiveRateLimitStore;

/**
 * A {@link ReactiveRateLimitStore} on Redis (standalone, Sentinel or Cluster): {@link RedisRateLimitStore}'s Lua
 * scripts, keys ({@link RedisKeys#limit(String, Limit)}) and replies, sent over a reactive connection. A
 * reactive and a blocking application on one Redis, with the same key prefix, count the same calls.
 */
public class ReactiveRedisRateLimitStore implements ReactiveRateLimitStore {

    private final ReactiveScriptRunner scripts;

    private final String endpoint;

    private final LimitCalls calls;

    /**
     * @param connectionFactory the Redis connections to use (nothing connects until the first call); Spring
     *        Boot's {@code LettuceConnectionFactory} is one
     * @param keys how keys are named
     */
    public ReactiveRedisRateLimitStore(ReactiveRedisConnectionFactory connectionFactory, RedisKeys keys) {
        this.scripts = new ReactiveScriptRunner(connectionFactory);
        this.endpoint = (connectionFactory instanceof RedisConnectionFactory blocking)
                ? RedisEndpoints.describe(blocking) : "Redis";
        this.calls = new LimitCalls(keys);
    }

    @Override
    public Mono<LimitAttempt> tryConsume(String key, List<Limit> limits) {
        return tryConsume(key, limits, 1);
    }

    @Override
    public Mono<LimitAttempt> tryConsume(String key, List<Limit> limits, long cost) {
        return Mono.defer(() -> {
            LimitCalls.Call call = this.calls.consume(key, limits, cost);
            return this.scripts.run(call.script(), call.returnType(), call.numKeys(), call.keysAndArgs())
                .map(reply -> LimitCalls.attempt(limits, reply, cost));
        });
    }

    @Override
    public Mono<Void> refund(String key, LimitAttempt recorded) {
        return Mono.defer(() -> {
            LimitCalls.Call call = this.calls.refund(key, recorded);
            return this.scripts.run(call.script(), call.returnType(), call.numKeys(), call.keysAndArgs()).then();
        });
    }

    /** @return the Redis this store uses (hosts and ports, no credentials) */
    @Override
    public String describe() {
        return this.endpoint;
    }
}
