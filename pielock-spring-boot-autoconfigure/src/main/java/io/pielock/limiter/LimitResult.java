package io.pielock.limiter;

import java.time.Duration;

/**
 * The outcome of one {@link Limiter} decision.
 *
 * @param allowed whether the call may proceed (it has been counted)
 * @param message a short account naming the key, for example {@code "Allowed key: mylist (1 of 2 per 1s left)"}
 *        or {@code "Rate limit exceeded key: mylist (2 per 1s); retry after 734ms"}
 * @param remaining how many more calls the tightest limit admits in its current window after this one;
 *        {@code 0} when denied, and when allowed without a check because the store was unreachable
 *        (fail-open), since the real figure is unknown
 * @param retryAfter when denied, how long until the next call could pass (the denying windows have room
 *        again); {@link Duration#ZERO} when allowed
 * @param key the key whose limit decided (of several keys, the denying one, or the one with fewest calls left)
 * @param limit the limit that decided: when denied, the one that stays exhausted longest; when allowed, the
 *        one with fewest calls left
 */
public record LimitResult(boolean allowed, String message, long remaining, Duration retryAfter, String key,
        Limit limit) {

    static LimitResult allowed(String key, Limit limit, long remaining) {
        return new LimitResult(true, "Allowed key: " + key + " (" + remaining + " of " + limit + " left)",
                remaining, Duration.ZERO, key, limit);
    }

    static LimitResult denied(String key, Limit limit, Duration retryAfter) {
        return new LimitResult(false, RateLimitExceededException.message(key, limit, retryAfter, null), 0,
                retryAfter, key, limit);
    }

    /** The start of the message of a call whose cost is above a limit's count. */
    static final String NEVER_PASSES = "Rate limit can never pass";

    static LimitResult neverPasses(String key, Limit limit, long cost) {
        // retry-after: the window, a sane figure for headers; the message says that retrying will not help
        return new LimitResult(false, NEVER_PASSES + " key: " + key + " (" + limit + "): the call costs " + cost
                + ", more than the limit's count of " + limit.count() + "; retrying will not help", 0, limit.window(),
                key, limit);
    }

    static LimitResult allowedUnchecked(String key, Limit limit) {
        return new LimitResult(true, "Allowed without a rate limit check key: " + key
                + " (the rate limit store could not be reached; fail-open)", 0, Duration.ZERO, key, limit);
    }
}
