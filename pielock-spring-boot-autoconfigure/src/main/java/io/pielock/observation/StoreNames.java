package io.pielock.observation;

import java.util.Locale;

/**
 * The {@code store} tag of a store: {@code redis}, {@code memory}, or an own store's simple class name; a reactive
 * store ({@code ReactiveRedis…}, {@code ReactiveInMemory…}) has its blocking sibling's tag.
 */
final class StoreNames {

    private static final ClassValue<String> NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String name = type.getSimpleName();
            if (name.startsWith("Reactive")) {
                // a reactive face of a store counts in the same storage: the same tag
                name = name.substring("Reactive".length());
            }
            if (name.startsWith("Redis")) {
                return "redis";
            }
            if (name.startsWith("InMemory")) {
                return "memory";
            }
            return name.isEmpty() ? type.getName() : name.toLowerCase(Locale.ROOT);
        }
    };

    private StoreNames() {
    }

    static String of(Object store) {
        return NAMES.get(store.getClass());
    }
}
