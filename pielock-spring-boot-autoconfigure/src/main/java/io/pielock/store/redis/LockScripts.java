package io.pielock.store.redis;

import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/** The lock's Lua scripts, loaded once; Spring Data Redis runs them by SHA (EVALSHA) after the first call. */
final class LockScripts {

    @SuppressWarnings({ "rawtypes", "unchecked" })
    static final RedisScript<List<Long>> ACQUIRE = (RedisScript) RedisScript
        .of(new ClassPathResource("lock-acquire.lua", LockScripts.class), List.class);

    static final RedisScript<Long> RENEW = RedisScript.of(new ClassPathResource("lock-renew.lua", LockScripts.class),
            Long.class);

    static final RedisScript<Long> RELEASE = RedisScript
        .of(new ClassPathResource("lock-release.lua", LockScripts.class), Long.class);

    private LockScripts() {
    }
}
