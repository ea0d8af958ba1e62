package io.pielock.sample.store;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Keeps the shop's own Lua script in a native image: {@link RedisShopRepository} reads it from the class path.
 * (pielock registers its own scripts.)
 */
class ShopRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        hints.resources().registerPattern(RedisShopRepository.SAVE_PRICE_SCRIPT);
    }
}
