package io.pielock.autoconfigure;

import java.util.Locale;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import io.pielock.autoconfigure.PielockProperties.Store;

/**
 * The store whose configuration the bean conditions chose. Without Spring AOT they are evaluated at startup from
 * the same {@code pielock.store} the application runs with, so the two always agree. An application processed
 * ahead of time keeps the choice made at build time whatever {@code pielock.store} says when it runs; a run that
 * asks for Redis would otherwise lock in memory, one JVM only, without a word, so it refuses to start.
 *
 * @param store the store chosen
 */
record StoreChoice(Store store) {

    private static final String PROPERTY = "pielock.store";

    /**
     * @param chosen the store whose configuration was applied
     * @param environment the running application's environment
     * @return the choice
     * @throws InvalidPielockPropertyException if {@code pielock.store} names another store now
     */
    static StoreChoice verified(Store chosen, Environment environment) {
        Store wanted = Binder.get(environment).bind(PROPERTY, Store.class).orElse(Store.REDIS);
        if (wanted != chosen) {
            throw new InvalidPielockPropertyException(PROPERTY, "it is '" + name(wanted) + "', but this application "
                    + "was processed ahead of time (Spring AOT) with " + PROPERTY + "=" + name(chosen)
                    + ", and bean conditions are fixed when it is processed. Process it again with " + PROPERTY + "="
                    + name(wanted) + " (for example the profile that sets it), or run it with " + PROPERTY + "="
                    + name(chosen) + ", or without -Dspring.aot.enabled=true", null);
        }
        return new StoreChoice(chosen);
    }

    private static String name(Store store) {
        return store.name().toLowerCase(Locale.ROOT);
    }
}
