package io.pielock.limiter;

import java.util.List;

/**
 * What a {@link RateLimitStore} answers to one {@link RateLimitStore#tryConsume} call; when allowed, also what
 * {@link RateLimitStore#refund} needs to take the call back.
 *
 * @param allowed whether every window had room, so the call was recorded in all of them
 * @param windows each limit's window after the decision, in the order the limits were given
 * @param cost how many permits the call took (recorded as that many calls at once), which a refund gives back
 */
public record LimitAttempt(boolean allowed, List<WindowState> windows, long cost) {

    /**
     * @param allowed whether the call was recorded
     * @param windows each window's state
     * @param cost the call's cost, at least 1
     */
    public LimitAttempt {
        windows = List.copyOf(windows);
        if (cost < 1) {
            throw new IllegalArgumentException("Rate limit cost must be at least 1, but was " + cost);
        }
    }

    /**
     * A call of cost 1.
     * @param allowed whether the call was recorded
     * @param windows each window's state
     */
    public LimitAttempt(boolean allowed, List<WindowState> windows) {
        this(allowed, windows, 1);
    }
}
