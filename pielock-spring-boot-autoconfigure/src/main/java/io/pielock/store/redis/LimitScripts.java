package io.pielock.store.redis;

import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/** The rate limiter's Lua scripts, loaded once; Spring Data Redis runs them by SHA (EVALSHA) after the first call. */
final class LimitScripts {

    @SuppressWarnings({ "rawtypes", "unchecked" })
    static final RedisScript<List<Long>> CONSUME = (RedisScript) RedisScript
        .of(new ClassPathResource("limit-consume.lua", LimitScripts.class), List.class);

    static final RedisScript<Long> REFUND = RedisScript
        .of(new ClassPathResource("limit-refund.lua", LimitScripts.class), Long.class);

    private LimitScripts() {
    }
}
