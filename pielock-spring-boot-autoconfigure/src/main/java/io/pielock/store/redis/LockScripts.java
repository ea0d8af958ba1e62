package io.pielock.store.redis;

import java.util.List;

/** The lock's Lua scripts, read once into immutable {@link LuaScript}s; run by SHA (EVALSHA). */
final class LockScripts {

    static final LuaScript<List<Long>> ACQUIRE = LuaScript.load("lock-acquire.lua", List.class);

    static final LuaScript<Long> RENEW = LuaScript.load("lock-renew.lua", Long.class);

    static final LuaScript<Long> RELEASE = LuaScript.load("lock-release.lua", Long.class);

    private LockScripts() {
    }
}
