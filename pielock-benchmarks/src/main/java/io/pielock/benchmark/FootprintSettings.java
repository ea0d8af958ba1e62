package io.pielock.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * How big the footprint benchmark ({@link FootprintMain}) runs. {@link #fromSystemProperties()} reads
 * {@code bench.footprint.*} system properties; {@link #small(Path)} is for quick checks.
 * @param operations operations of each kind whose Redis commands and time are counted (a multiple of 1,000)
 * @param threads threads making them
 * @param heldLocks locks held at once for bytes per held lock
 * @param releasedNames distinct names acquired and released for bytes per released name
 * @param shortLease their lease
 * @param limiterKeys limiter keys filled per algorithm for bytes per key
 * @param callsPerKey calls per limiter key (the limit is this many per minute)
 * @param releases releases of the contended lock in the pub/sub part
 * @param stores stores (processes) connected in the larger pub/sub run
 * @param clusterNames lock names, and limiter keys, spread over the cluster
 * @param output where {@code footprint.md} goes
 * @param revision the pielock revision measured
 */
public record FootprintSettings(int operations, int threads, int heldLocks, int releasedNames, Duration shortLease,
        int limiterKeys, int callsPerKey, int releases, int stores, int clusterNames, Path output, String revision) {

    /**
     * @param operations operations of each kind
     * @param threads threads
     * @param heldLocks locks held at once
     * @param releasedNames names acquired and released
     * @param shortLease their lease
     * @param limiterKeys limiter keys per algorithm
     * @param callsPerKey calls per limiter key
     * @param releases releases in the pub/sub part
     * @param stores stores in the larger pub/sub run
     * @param clusterNames names spread over the cluster
     * @param output report directory
     * @param revision the revision measured
     */
    public FootprintSettings {
        if (operations < 1_000 || operations % 1_000 != 0 || threads < 1 || heldLocks < 100 || releasedNames < 1
                || limiterKeys < 1 || callsPerKey < 1 || releases < 1 || stores < 3 || clusterNames < 3) {
            throw new IllegalArgumentException("Need a multiple of 1,000 operations, at least 100 held locks, "
                    + "at least 3 stores and positive counts; got " + operations + " operations, " + threads
                    + " threads, " + heldLocks + " held locks, " + releasedNames + " released names, " + limiterKeys
                    + " limiter keys, " + callsPerKey + " calls per key, " + releases + " releases, " + stores
                    + " stores, " + clusterNames + " cluster names");
        }
    }

    /**
     * Reads {@code bench.footprint.operations} (20000), {@code .threads} (4), {@code .held-locks} (10000),
     * {@code .released-names} (50000), {@code .short-lease} (1s), {@code .limiter-keys} (1000),
     * {@code .calls-per-key} (100), {@code .releases} (1000), {@code .stores} (20), {@code .cluster-names}
     * (100000), and {@code bench.out} ({@code docs/performance}) and {@code bench.revision}.
     * @return the settings
     */
    public static FootprintSettings fromSystemProperties() {
        return new FootprintSettings(integer("operations", 20_000), integer("threads", 4),
                integer("held-locks", 10_000), integer("released-names", 50_000),
                Duration.ofMillis(integer("short-lease-ms", 1_000)), integer("limiter-keys", 1_000),
                integer("calls-per-key", 100), integer("releases", 1_000), integer("stores", 20),
                integer("cluster-names", 100_000), Path.of(System.getProperty("bench.out", "docs/performance")),
                System.getProperty("bench.revision", "unknown"));
    }

    /**
     * Every part, with small counts: for a quick check that it runs, not for figures.
     * @param output where the report goes
     * @return the settings
     */
    public static FootprintSettings small(Path output) {
        return new FootprintSettings(1_000, 2, 200, 500, Duration.ofMillis(300), 20, 10, 50, 5, 300, output,
                "small check");
    }

    /** @return a one-line summary for the report */
    public String summary() {
        return String.format(Locale.ROOT, "%,d operations of each kind on %d threads; %,d held locks; %,d released "
                + "names with a %d ms lease; %,d limiter keys × %d calls per algorithm; %,d releases with 2 and "
                + "with %d stores; %,d lock names and %,d limiter keys on the cluster", this.operations, this.threads,
                this.heldLocks, this.releasedNames, this.shortLease.toMillis(), this.limiterKeys, this.callsPerKey,
                this.releases, this.stores, this.clusterNames, this.clusterNames);
    }

    private static int integer(String name, int defaultValue) {
        String property = "bench.footprint." + name;
        String text = System.getProperty(property);
        try {
            return (text == null) ? defaultValue : Integer.parseInt(text.trim().replace("_", ""));
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException(property + "=" + text + " is not a whole number", ex);
        }
    }
}
