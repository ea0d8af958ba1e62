package io.pielock.store.redis;

import java.util.List;

/**
 * The rate limiter's Lua scripts, read once into immutable {@link LuaScript}s; run by SHA (EVALSHA). Those that
 * touch a sliding window start with {@code limit-ring.lua}, the ring of call times they share.
 */
final class LimitScripts {

    /** Any limits of one key. */
    static final LuaScript<List<Long>> CONSUME = LuaScript.load(List.class, "limit-ring.lua", "limit-consume.lua");

    /** One sliding-window limit of one key (the common case), with less work per call than {@link #CONSUME}. */
    static final LuaScript<List<Long>> SLIDING = LuaScript.load(List.class, "limit-ring.lua", "limit-sliding.lua");

    /** One GCRA limit of one key (the common case), with less work per call than {@link #CONSUME}. */
    static final LuaScript<List<Long>> GCRA = LuaScript.load(List.class, "limit-gcra.lua");

    static final LuaScript<Long> REFUND = LuaScript.load(Long.class, "limit-ring.lua", "limit-refund.lua");

    private LimitScripts() {
    }

    /**
     * Reads the scripts now, if they are not read yet (the class's initializer reads them from the class path, a
     * blocking read): stores call it when they are created, so that it never happens on an event loop.
     */
    static void load() {
    }
}
