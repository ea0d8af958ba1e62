package io.pielock.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How long and how hard the benchmark runs. {@link #fromSystemProperties()} reads {@code bench.*} system
 * properties (durations as {@code 500ms}, {@code 3s}, {@code 1m}); {@link #smoke(Path)} is the smoke test's.
 * @param warmup unmeasured time before each measurement
 * @param measure measured time per contender and round
 * @param warmUpRounds unmeasured rounds (each contender runs warm-up and measured time) before the measured
 *        rounds of each throughput scenario, so that every contender is JIT-compiled before it is measured
 * @param rounds measured rounds per scenario (the contenders' order rotates each round)
 * @param threads threads per scenario
 * @param clients separate client processes in the four-client scenario (threads are split among them)
 * @param manyKeys keys in the many-keys rate limit scenario
 * @param memoryKeys rate limit keys whose memory is measured
 * @param accuracy how long the accuracy scenario hammers one fresh key
 * @param jmhWarmups JMH warm-up iterations per fork
 * @param jmhWarmup length of one JMH warm-up iteration
 * @param jmhIterations JMH measurement iterations per fork; 0 skips JMH
 * @param jmhIteration length of one JMH measurement iteration
 * @param jmhForks JMH forks, each a fresh JVM (0 runs in this JVM)
 * @param scenarios which scenarios to run, by number; empty for all
 * @param output where the report and chart go
 * @param revision the pielock revision measured, for the report
 */
public record Settings(Duration warmup, Duration measure, int warmUpRounds, int rounds, int threads, int clients,
        int manyKeys, int memoryKeys, Duration accuracy, int jmhWarmups, Duration jmhWarmup, int jmhIterations,
        Duration jmhIteration, int jmhForks, Set<String> scenarios, Path output, String revision) {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");

    /**
     * @param warmup unmeasured time before each measurement
     * @param measure measured time
     * @param warmUpRounds unmeasured rounds first
     * @param rounds measured rounds per scenario
     * @param threads threads per scenario
     * @param clients client processes in the four-client scenario
     * @param manyKeys keys in the many-keys scenario
     * @param memoryKeys keys whose memory is measured
     * @param accuracy length of the accuracy run
     * @param jmhWarmups JMH warm-up iterations per fork
     * @param jmhWarmup JMH warm-up iteration length
     * @param jmhIterations JMH measurement iterations per fork, 0 to skip JMH
     * @param jmhIteration JMH measurement iteration length
     * @param jmhForks JMH forks
     * @param scenarios scenario numbers to run, empty for all
     * @param output report directory
     * @param revision the revision measured
     */
    public Settings {
        if (warmUpRounds < 0 || jmhWarmups < 0 || rounds < 1 || threads < 1 || clients < 1 || threads % clients != 0 || manyKeys < 1 || memoryKeys < 1) {
            throw new IllegalArgumentException("Need rounds, threads, clients and key counts of at least 1, no "
                    + "negative warm-ups, and threads divisible by clients; got warm-up rounds=" + warmUpRounds
                    + ", rounds=" + rounds + ", JMH warm-ups=" + jmhWarmups + ", threads=" + threads + ", clients="
                    + clients + ", keys=" + manyKeys + ", memory-keys=" + memoryKeys);
        }
    }

    /**
     * Reads {@code bench.warmup} (1s), {@code bench.measure} (2s), {@code bench.warmup-rounds} (1),
     * {@code bench.rounds} (5), {@code bench.threads} (16), {@code bench.clients} (4), {@code bench.keys} (10000),
     * {@code bench.memory-keys} (200), {@code bench.accuracy} (3s), {@code bench.jmh.warmups} (8),
     * {@code bench.jmh.warmup} (1s), {@code bench.jmh.iterations} (8), {@code bench.jmh.iteration} (500ms),
     * {@code bench.jmh.forks} (2), {@code bench.scenarios} (all; e.g. {@code 1,3,8}), {@code bench.out}
     * ({@code docs/performance}) and {@code bench.revision}.
     * @return the settings
     */
    public static Settings fromSystemProperties() {
        return new Settings(duration("bench.warmup", "1s"), duration("bench.measure", "2s"),
                integer("bench.warmup-rounds", 1), integer("bench.rounds", 5), integer("bench.threads", 16),
                integer("bench.clients", 4), integer("bench.keys", 10_000), integer("bench.memory-keys", 200),
                duration("bench.accuracy", "3s"), integer("bench.jmh.warmups", 8), duration("bench.jmh.warmup", "1s"),
                integer("bench.jmh.iterations", 8), duration("bench.jmh.iteration", "500ms"),
                integer("bench.jmh.forks", 2), scenarios(System.getProperty("bench.scenarios", "")),
                Path.of(System.getProperty("bench.out", "docs/performance")),
                System.getProperty("bench.revision", "unknown"));
    }

    /**
     * Every scenario and contender once, briefly: for the smoke test, which checks correctness, not speed.
     * @param output where the report goes
     * @return the settings
     */
    public static Settings smoke(Path output) {
        return new Settings(Duration.ofMillis(50), Duration.ofMillis(200), 1, 1, 16, 4, 10_000, 5,
                Duration.ofMillis(300), 1, Duration.ofMillis(100), 1, Duration.ofMillis(100), 0, Set.of(), output,
                "smoke test");
    }

    /**
     * @param id a scenario's number
     * @return whether to run it
     */
    public boolean runs(String id) {
        return this.scenarios.isEmpty() || this.scenarios.contains(id);
    }

    /** @return a one-line summary for the report */
    public String summary() {
        return String.format(Locale.ROOT, "%d unmeasured warm-up round(s) per throughput scenario, then %d rounds; "
                + "in each, per contender, warm-up %s then measured %s; %d threads, %d client processes in "
                + "scenario 4, %,d keys in scenario 6, %d keys in scenario 8, accuracy run %s; JMH %d fork(s), each "
                + "%d×%s warm-up and %d×%s measured iterations", this.warmUpRounds, this.rounds, text(this.warmup),
                text(this.measure), this.threads, this.clients, this.manyKeys, this.memoryKeys, text(this.accuracy),
                this.jmhForks, this.jmhWarmups, text(this.jmhWarmup), this.jmhIterations, text(this.jmhIteration));
    }

    private static String text(Duration duration) {
        return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** A duration property (500ms, 3s, 1m), or a clear error naming it; shared with the cost breakdown. */
    static Duration duration(String property, String defaultValue) {
        String text = System.getProperty(property, defaultValue).trim().toLowerCase(Locale.ROOT);
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(property + "=" + text + " is not a duration; use e.g. 500ms, 3s, 1m");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }

    /** A whole-number property, or a clear error naming it; shared with the cost breakdown. */
    static int integer(String property, int defaultValue) {
        String text = System.getProperty(property);
        try {
            return (text == null) ? defaultValue : Integer.parseInt(text.trim());
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException(property + "=" + text + " is not a whole number", ex);
        }
    }

    private static Set<String> scenarios(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(id -> !id.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    }
}
