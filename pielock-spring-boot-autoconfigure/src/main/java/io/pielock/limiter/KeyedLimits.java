package io.pielock.limiter;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.pielock.key.Keys;

/**
 * The limits that apply to one key, all decided together and atomically (in Redis by one script over keys in
 * one Cluster slot). Validated when built.
 *
 * @param key the rate limit's name, for example {@code "search:user-42"}
 * @param limits one or more limits with distinct windows; a call passes only if every one admits it
 */
public record KeyedLimits(String key, List<Limit> limits) {

    /**
     * @param key the rate limit's name
     * @param limits one or more limits with distinct windows
     * @throws IllegalArgumentException if the key is not valid ({@link Keys}: null, blank or too long), there are no limits, or two limits share a
     *         window (keep the stricter one)
     */
    public KeyedLimits {
        Keys.requireValid("Rate limit key", key);
        if (limits == null) {
            throw new IllegalArgumentException("Rate limits of key: " + key + " must not be null");
        }
        for (Limit limit : limits) {
            if (limit == null) {
                throw new IllegalArgumentException("Rate limits of key: " + key + " must not contain null");
            }
        }
        limits = List.copyOf(limits);
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("Rate limit key: " + key + " needs at least one limit");
        }
        if (limits.size() > 1) {
            requireDistinctWindows(key, limits);
        }
    }

    private static void requireDistinctWindows(String key, List<Limit> limits) {
        Set<Duration> windows = new HashSet<>();
        for (Limit limit : limits) {
            if (!windows.add(limit.window())) {
                throw new IllegalArgumentException("Rate limit key: " + key + " has two limits per "
                        + Limit.describe(limit.window()) + " (" + limits + "); keep the stricter one");
            }
        }
    }

    /**
     * @param key the rate limit's name
     * @param limits one or more limits with distinct windows
     * @return the key with its limits
     */
    public static KeyedLimits of(String key, Limit... limits) {
        return new KeyedLimits(key, List.of(limits));
    }
}
