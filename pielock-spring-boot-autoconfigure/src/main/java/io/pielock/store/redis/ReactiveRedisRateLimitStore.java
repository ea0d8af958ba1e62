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
 * reactive and a blocking application on one Redis, with the same key prefix, count the same calls. Like it, it
 * remembers a denial until the call could first fit ({@link RememberedDenials}), unless told not to.
 */
public class ReactiveRedisRateLimitStore implements ReactiveRateLimitStore {

    private final ReactiveScriptRunner scripts;

    private final String endpoint;

    private final LimitCalls calls;

    private final RememberedDenials denials;

    /**
     * A store that remembers denials.
     * @param connectionFactory the Redis connections to use (nothing connects until the first call); Spring
     *        Boot's {@code LettuceConnectionFactory} is one
     * @param keys how keys are named
     */
    public ReactiveRedisRateLimitStore(ReactiveRedisConnectionFactory connectionFactory, RedisKeys keys) {
        this(connectionFactory, keys, true);
    }

    /**
     * @param connectionFactory the Redis connections to use (nothing connects until the first call); Spring
     *        Boot's {@code LettuceConnectionFactory} is one
     * @param keys how keys are named
     * @param rememberDenials whether a denial is remembered until the call could first fit, and such calls are
     *        denied without asking Redis ({@code pielock.limiter.remember-denials})
     */
    public ReactiveRedisRateLimitStore(ReactiveRedisConnectionFactory connectionFactory, RedisKeys keys,
            boolean rememberDenials) {
        this.scripts = new ReactiveScriptRunner(connectionFactory);
        this.endpoint = (connectionFactory instanceof RedisConnectionFactory blocking)
                ? RedisEndpoints.describe(blocking) : "Redis";
        this.calls = new LimitCalls(keys);
        this.denials = new RememberedDenials(rememberDenials);
    }

    @Override
    public Mono<LimitAttempt> tryConsume(String key, List<Limit> limits) {
        return tryConsume(key, limits, 1);
    }

    @Override
    public Mono<LimitAttempt> tryConsume(String key, List<Limit> limits, long cost) {
        return Mono.defer(() -> {
            LimitAttempt remembered = this.denials.recall(key, limits, cost);
            if (remembered != null) {
                return Mono.just(remembered);
            }
            LimitCalls.Call call = this.calls.consume(key, limits, cost);
            long refunds = this.denials.refundsSoFar();
            long sent = System.nanoTime();
            return this.scripts.run(call.script(), call.returnType(), call.numKeys(), call.keysAndArgs())
                .map(reply -> {
                    LimitAttempt attempt = LimitCalls.attempt(limits, reply, cost);
                    this.denials.remember(key, limits, cost, sent, refunds, attempt);
                    return attempt;
                });
        });
    }

    @Override
    public Mono<Void> refund(String key, LimitAttempt recorded) {
        return Mono.defer(() -> {
            this.denials.refunding(key);
            LimitCalls.Call call = this.calls.refund(key, recorded);
            return this.scripts.run(call.script(), call.returnType(), call.numKeys(), call.keysAndArgs())
                .doFinally(signal -> this.denials.refunding(key))
                .then();
        });
    }

    /** @return the Redis this store uses (hosts and ports, no credentials) */
    @Override
    public String describe() {
        return this.endpoint;
    }
}
