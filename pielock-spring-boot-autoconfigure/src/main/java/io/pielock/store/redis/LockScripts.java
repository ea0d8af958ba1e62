package io.pielock.store.redis;

import java.util.List;

/**
 * The lock's Lua scripts, read once into immutable {@link LuaScript}s; run by SHA (EVALSHA). The scripts that
 * give a lock a new owner share {@code lock-fence.lua}, which issues fencing tokens.
 */
final class LockScripts {

    static final LuaScript<List<Long>> ACQUIRE = LuaScript.load(List.class, "lock-fence.lua", "lock-queue.lua",
            "lock-acquire.lua");

    static final LuaScript<List<Long>> HAND_OVER = LuaScript.load(List.class, "lock-fence.lua",
            "lock-queue.lua", "lock-handover.lua");

    static final LuaScript<Long> RENEW = LuaScript.load(Long.class, "lock-renew.lua");

    static final LuaScript<Long> RELEASE = LuaScript.load(Long.class, "lock-fence.lua", "lock-queue.lua",
            "lock-release.lua");

    static final LuaScript<List<Long>> WITHDRAW = LuaScript.load(List.class, "lock-withdraw.lua");

    /** Read-only: the lock's remaining lease and last fencing token, for diagnostics. */
    static final LuaScript<List<Object>> INSPECT = LuaScript.load(List.class, "lock-inspect.lua");

    private LockScripts() {
    }

    /**
     * Reads the scripts now, if they are not read yet (the class's initializer reads them from the class path, a
     * blocking read): reactive stores call it when they are created, so that it never happens on an event loop.
     */
    static void load() {
    }
}
