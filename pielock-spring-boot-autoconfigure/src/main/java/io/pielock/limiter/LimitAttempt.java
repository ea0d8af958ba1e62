package io.pielock.limiter;

import java.util.List;

/**
 * What a {@link RateLimitStore} answers to one {@link RateLimitStore#tryConsume} call; when allowed, also what
 * {@link RateLimitStore#refund} needs to take the call back.
 *
 * @param allowed whether every window had room, so the call was recorded in all of them
 * @param windows each limit's window after the decision, in the order the limits were given
 */
public record LimitAttempt(boolean allowed, List<WindowState> windows) {

    /**
     * @param allowed whether the call was recorded
     * @param windows each window's state
     */
    public LimitAttempt {
        windows = List.copyOf(windows);
    }
}
