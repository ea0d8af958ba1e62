package io.pielock.benchmark.contender;

import java.time.Duration;

/**
 * The limit every key of a scenario gets.
 * @param count how many calls a window admits
 * @param window the window
 */
public record RateLimit(long count, Duration window) {

    /**
     * @param count how many calls a window admits
     * @param window the window
     */
    public RateLimit {
        if (count < 1 || window.toMillis() < 1) {
            throw new IllegalArgumentException("A rate limit needs count >= 1 and a window of 1 ms or more, but was "
                    + count + " per " + window);
        }
    }

    @Override
    public String toString() {
        String per = switch ((int) Math.min(Integer.MAX_VALUE, this.window.toMillis())) {
            case 1000 -> "second";
            case 60_000 -> "minute";
            default -> this.window.toMillis() + " ms";
        };
        return this.count + " per " + per;
    }
}
