package io.pielock.limiter;

import java.time.Duration;

/**
 * One limit's window after a decision.
 *
 * @param limit the limit
 * @param remaining how many more calls the window admits now (after recording this one, if it was recorded)
 * @param retryAfter {@link Duration#ZERO} if the window had room for this call; otherwise how long until it has
 *        room again (for a sliding window: until the call that filled it leaves it)
 * @param mark where the store recorded the call in this window, for {@link RateLimitStore#refund}: opaque to
 *        the limiter (the Redis and memory stores put the call's timestamp there); {@code 0} when nothing was
 *        recorded
 */
public record WindowState(Limit limit, long remaining, Duration retryAfter, long mark) {

    /** @return whether the window had room for the call */
    public boolean hadRoom() {
        return this.retryAfter.isZero();
    }
}
