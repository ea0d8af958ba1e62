package io.pielock.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitCatalog;

/**
 * The named limits of {@code pielock.limiter.limits.<name>}, read from the application's {@link Environment} at each
 * look-up (one property read; the parsed windows are cached per definition text): whatever changes the
 * Environment's property sources (Spring Cloud's {@code /actuator/refresh}, a test that replaces a property source,
 * an application that adds one) changes the limits from the next call, without a restart.
 */
final class EnvironmentLimitCatalog implements LimitCatalog {

    static final String PREFIX = "pielock.limiter.limits";

    private final Environment environment;

    private final Map<String, List<Limit>> parsed = new ConcurrentHashMap<>();

    EnvironmentLimitCatalog(Environment environment) {
        this.environment = environment;
    }

    @Override
    public List<Limit> find(String name) {
        String definition = this.environment.getProperty(PREFIX + "." + name);
        if (definition == null) {
            return null;
        }
        if (this.parsed.size() > 1000) {
            this.parsed.clear(); // definitions changed very often: keep the cache small
        }
        return this.parsed.computeIfAbsent(definition, LimitCatalog::parse);
    }

    @Override
    public Set<String> names() {
        return new TreeSet<>(Binder.get(this.environment)
            .bind(PREFIX, Bindable.mapOf(String.class, String.class))
            .orElse(Map.of())
            .keySet());
    }

    /**
     * Fails startup on a definition that is not valid, naming the property.
     * @param limits the bound {@code pielock.limiter.limits}
     */
    static void validate(Map<String, String> limits) {
        limits.forEach((name, definition) -> {
            try {
                LimitCatalog.parse(definition);
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidPielockPropertyException(PREFIX + "." + name, ex.getMessage(), null);
            }
        });
    }
}
