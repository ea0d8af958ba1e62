package io.pielock.sample.demo;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.SimpleCommandLinePropertySource;

/**
 * What the load demo does, from {@code --demo.*} command-line arguments (relaxed binding, as for any Spring
 * Boot property).
 * @param targets base URLs of running instances to load, e.g. {@code http://localhost:8081,http://localhost:8082};
 *        empty (the default) starts an instance in this JVM on a free port and loads that
 * @param sku the item put on sale (its earlier reservations are forgotten)
 * @param units the units on sale
 * @param requests how many reservations to attempt
 * @param threads how many client threads send them concurrently
 * @param users how many distinct buyers they are spread over (request {@code i} is buyer {@code i % users});
 *        by default each buyer sends 10 of the 1000 requests, more than the shop's quota of 5 reservations a
 *        minute, so the run shows rate-limited answers (429) besides reservations and sold-out answers
 */
public record DemoSettings(@DefaultValue List<URI> targets, @DefaultValue("demo") String sku,
        @DefaultValue("100") int units, @DefaultValue("1000") int requests, @DefaultValue("32") int threads,
        @DefaultValue("100") int users) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    /** Checks every setting, naming the property at fault. */
    public DemoSettings {
        targets = List.copyOf(targets);
        require(NAME.matcher(sku).matches(), "demo.sku must be 1 to 64 letters, digits, '.', '_', '@' or '-', but was '"
                + sku + "'");
        require(units >= 0 && units <= 1_000_000, "demo.units must be between 0 and 1000000, but was " + units);
        require(requests >= 1, "demo.requests must be at least 1, but was " + requests);
        require(threads >= 1 && threads <= 1000, "demo.threads must be between 1 and 1000, but was " + threads);
        require(users >= 1, "demo.users must be at least 1, but was " + users);
    }

    /**
     * @param args the command line, as given to {@code main}
     * @return the settings in it, defaults for the rest
     * @throws IllegalArgumentException (possibly wrapped in a binding exception) if a setting is invalid
     */
    public static DemoSettings from(String... args) {
        // "--demo" alone would bind an empty value to "demo" itself, which is not a DemoSettings
        String[] options = Arrays.stream(args).filter(arg -> !arg.equals(LoadDemo.FLAG)).toArray(String[]::new);
        Binder binder = new Binder(ConfigurationPropertySources.from(new SimpleCommandLinePropertySource(options)));
        return binder.bindOrCreate("demo", DemoSettings.class);
    }

    /**
     * @param targets the instances to load
     * @return these settings aimed at {@code targets}
     */
    public DemoSettings withTargets(List<URI> targets) {
        return new DemoSettings(targets, this.sku, this.units, this.requests, this.threads, this.users);
    }

    private static void require(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }
}
