package io.pielock.limiter;

import java.time.Duration;

/**
 * One limit's sliding window after a decision.
 *
 * @param limit the limit
 * @param remaining how many more calls the window admits now (after recording this one, if it was recorded)
 * @param retryAfter {@link Duration#ZERO} if the window had room for this call; otherwise how long until its
 *        oldest counted call leaves it and it has room again
 */
public record WindowState(Limit limit, long remaining, Duration retryAfter) {

    /** @return whether the window had room for the call */
    public boolean hadRoom() {
        return this.retryAfter.isZero();
    }
}
