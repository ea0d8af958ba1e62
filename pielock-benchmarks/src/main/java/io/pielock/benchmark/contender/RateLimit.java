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
        return this.count + " per " + (this.window.toSeconds() == 60 ? "minute" : this.window.toMillis() + " ms");
    }
}
