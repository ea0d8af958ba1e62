package io.pielock.store.redis;

import java.util.List;

/** The rate limiter's Lua scripts, read once into immutable {@link LuaScript}s; run by SHA (EVALSHA). */
final class LimitScripts {

    static final LuaScript<List<Long>> CONSUME = LuaScript.load(List.class, "limit-consume.lua");

    static final LuaScript<Long> REFUND = LuaScript.load(Long.class, "limit-refund.lua");

    private LimitScripts() {
    }
}
