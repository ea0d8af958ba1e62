package io.pielock.limiter;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Objects;

/**
 * A call was denied because a rate limit is exhausted: thrown by {@code @RateLimited} methods that have no
 * fallback. The message names the key, the method (for annotated methods), the limit and when to retry; in a
 * Spring MVC application an unhandled one becomes HTTP 429 with a {@code Retry-After} header.
 * <p>
 * Never thrown because the store could not be reached: that is a {@link LimiterUnavailableException}.
 */
public class RateLimitExceededException extends RuntimeException {

    private final String key;

    private final transient Limit limit;

    private final Duration retryAfter;

    private final transient Method method;

    /** Why the call can never pass (its cost is above the limit's count), or {@code null}. */
    private final String never;

    /**
     * @param key the exhausted rate limit's key
     * @param limit the exhausted limit
     * @param retryAfter how long until a call could pass
     */
    public RateLimitExceededException(String key, Limit limit, Duration retryAfter) {
        this(key, limit, retryAfter, null, null);
    }

    /**
     * @param denied a denied result
     * @param method the annotated method whose call was denied, or {@code null} for programmatic use
     * @throws IllegalArgumentException if the result was allowed
     */
    public RateLimitExceededException(LimitResult denied, Method method) {
        this(denied.key(), denied.limit(), requireDenied(denied).retryAfter(), method, never(denied));
    }

    private RateLimitExceededException(String key, Limit limit, Duration retryAfter, Method method, String never) {
        super((never != null) ? never + where(method) : message(key, limit, retryAfter, method));
        this.never = never;
        this.key = key;
        this.limit = Objects.requireNonNull(limit, "limit must not be null");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter must not be null");
        this.method = method;
    }

    /**
     * A copy that also names the annotated method whose call was denied.
     * @param method the annotated method
     * @return a new exception with the same key, limit and retry time
     */
    public RateLimitExceededException forMethod(Method method) {
        RateLimitExceededException copy = new RateLimitExceededException(this.key, this.limit, this.retryAfter,
                method, this.never);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** @return the exhausted rate limit's key */
    public String getKey() {
        return this.key;
    }

    /** @return the exhausted limit */
    public Limit getLimit() {
        return this.limit;
    }

    /** @return how long until a call could pass (never negative) */
    public Duration getRetryAfter() {
        return this.retryAfter;
    }

    /** @return the annotated method whose call was denied, or {@code null} for programmatic use */
    public Method getMethod() {
        return this.method;
    }

    private static LimitResult requireDenied(LimitResult result) {
        if (result.allowed()) {
            throw new IllegalArgumentException("Result was allowed, not exceeded: " + result.message());
        }
        return result;
    }

    static String message(String key, Limit limit, Duration retryAfter, Method method) {
        return "Rate limit exceeded key: " + key + where(method) + " (" + limit + "); retry after "
                + ceilMillis(retryAfter) + "ms";
    }

    private static String where(Method method) {
        return (method != null)
                ? " for " + method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()" : "";
    }

    /** @return the message of a call that costs more than the limit's count, or {@code null} */
    private static String never(LimitResult denied) {
        return denied.message().startsWith(LimitResult.NEVER_PASSES) ? denied.message() : null;
    }

    private static long ceilMillis(Duration duration) {
        long millis = duration.toMillis();
        return duration.minusMillis(millis).isZero() ? millis : millis + 1;
    }
}
