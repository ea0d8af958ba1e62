package io.pielock.interceptor;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration text of annotation attributes the way Spring Boot binds {@code Duration} properties:
 * ISO-8601 ({@code PT1M}) or a number with an optional unit ({@code ns us ms s m h d}); a number alone means
 * milliseconds. (The library packages stay free of Spring Boot, so this does not use Boot's parser.)
 */
final class DurationText {

    private static final Pattern SIMPLE = Pattern.compile("^([+-]?\\d+)([a-zA-Z]{0,2})$");

    private DurationText() {
    }

    /**
     * @param text the text, already placeholder-resolved
     * @return the duration
     * @throws IllegalArgumentException naming the text when it is not a duration
     */
    static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher matcher = SIMPLE.matcher(trimmed);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                case "", "ms" -> Duration.ofMillis(amount);
                case "ns" -> Duration.ofNanos(amount);
                case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw notADuration(text, null);
            };
        }
        try {
            return Duration.parse(trimmed);
        }
        catch (DateTimeParseException ex) {
            throw notADuration(text, ex);
        }
    }

    private static IllegalArgumentException notADuration(String text, Throwable cause) {
        return new IllegalArgumentException("'" + text + "' is not a duration (use for example 500ms, 5s, 2m, "
                + "PT1M; a number alone means milliseconds)", cause);
    }
}
