package io.pielock.store.redis;

import java.util.List;

/**
 * The rate limiter's Lua scripts, read once into immutable {@link LuaScript}s; run by SHA (EVALSHA). Both start
 * with {@code limit-ring.lua}, the sliding window's ring of call times that they share.
 */
final class LimitScripts {

    static final LuaScript<List<Long>> CONSUME = LuaScript.load(List.class, "limit-ring.lua", "limit-consume.lua");

    static final LuaScript<Long> REFUND = LuaScript.load(Long.class, "limit-ring.lua", "limit-refund.lua");

    private LimitScripts() {
    }
}
