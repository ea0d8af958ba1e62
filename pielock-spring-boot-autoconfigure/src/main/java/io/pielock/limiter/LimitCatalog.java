package io.pielock.limiter;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Limits by name, such as plans: {@code free} is {@code 5/1s, 100/1m}. The auto-configuration reads them from
 * {@code pielock.limiter.limits.<name>} and looks a name up in the application's {@code Environment} at each call,
 * so a changed property takes effect without a restart; {@link Limiter#allow(String, String)} and
 * {@code @RateLimited(limit = …)} use them.
 */
public interface LimitCatalog {

    /** No named limits. */
    LimitCatalog NONE = of(Map.of());

    /**
     * @param name a limit's name
     * @return its limits, or {@code null} if no limit has that name
     * @throws IllegalArgumentException if the name's definition is not valid ({@link #parse(String)})
     */
    List<Limit> find(String name);

    /** @return the names known now, for messages */
    Set<String> names();

    /**
     * @param limits limits by name
     * @return a catalog of exactly these
     */
    static LimitCatalog of(Map<String, List<Limit>> limits) {
        Map<String, List<Limit>> copy = Map.copyOf(limits);
        return new LimitCatalog() {

            @Override
            public List<Limit> find(String name) {
                return copy.get(name);
            }

            @Override
            public Set<String> names() {
                return new TreeSet<>(copy.keySet());
            }
        };
    }

    /**
     * Reads a named limit's definition: one or more windows, comma separated, each {@code count/window} with the
     * window as duration text ({@code 500ms}, {@code 1s}, {@code 1m}, {@code 1h}, {@code 1d}, or ISO-8601 such as
     * {@code PT15M}): {@code 5/1s, 100/1m}. Each window is an exact sliding window; windows must differ.
     * @param definition the text
     * @return its limits
     * @throws IllegalArgumentException naming the part that is not valid
     */
    static List<Limit> parse(String definition) {
        if (definition == null || definition.isBlank()) {
            throw new IllegalArgumentException("A named rate limit needs at least one 'count/window', such as "
                    + "'5/1s, 100/1m', but was '" + definition + "'");
        }
        List<Limit> limits = new ArrayList<>();
        for (String part : definition.split(",")) {
            Limit limit = Definitions.limit(part.trim(), definition);
            for (Limit other : limits) {
                if (other.window().equals(limit.window())) {
                    throw new IllegalArgumentException("Named rate limit '" + definition + "' gives the window "
                            + part.trim() + " twice");
                }
            }
            limits.add(limit);
        }
        return List.copyOf(limits);
    }

    /** How a definition's parts read. */
    final class Definitions {

        private static final Pattern PART = Pattern.compile("(\\d+)\\s*/\\s*(\\S+)");

        private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

        private Definitions() {
        }

        static Limit limit(String part, String definition) {
            Matcher matcher = PART.matcher(part);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("Named rate limit '" + definition + "': '" + part
                        + "' is not 'count/window', such as '5/1s'");
            }
            long count;
            try {
                count = Long.parseLong(matcher.group(1));
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException("Named rate limit '" + definition + "': the count of '" + part
                        + "' is too large", ex);
            }
            return Limit.of(count, duration(matcher.group(2), part, definition));
        }

        private static Duration duration(String text, String part, String definition) {
            Matcher simple = SIMPLE_DURATION.matcher(text.toLowerCase(Locale.ROOT));
            if (simple.matches()) {
                long amount = Long.parseLong(simple.group(1));
                return switch (simple.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            try {
                return Duration.parse(text);
            }
            catch (DateTimeParseException ex) {
                throw new IllegalArgumentException("Named rate limit '" + definition + "': the window of '" + part
                        + "' is not a duration such as 500ms, 1s, 1m, 1h, 1d or PT15M", ex);
            }
        }
    }
}
