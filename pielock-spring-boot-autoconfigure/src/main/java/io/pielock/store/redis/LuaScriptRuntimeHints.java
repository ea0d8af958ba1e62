package io.pielock.store.redis;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Keeps the Lua scripts in a native image: {@link LuaScript} reads them from the class path
 * ({@code io/pielock/store/redis/*.lua}) when the Redis stores are created. Registered through
 * {@code META-INF/spring/aot.factories}.
 */
final class LuaScriptRuntimeHints implements RuntimeHintsRegistrar {

    /** The scripts' location, as {@link LuaScript#load} finds them: beside the class. */
    static final String SCRIPTS = "io/pielock/store/redis/*.lua";

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        hints.resources().registerPattern(SCRIPTS);
    }
}
