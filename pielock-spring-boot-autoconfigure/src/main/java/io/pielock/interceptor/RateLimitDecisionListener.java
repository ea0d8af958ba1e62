package io.pielock.interceptor;

import io.pielock.limiter.LimitResult;

/**
 * Told the decision of every {@code @RateLimited} call, allowed or denied, by {@link RateLimitInterceptor}: on
 * the calling thread, before the method, its fallback or the {@link io.pielock.limiter.RateLimitExceededException}
 * runs. In a Spring MVC application, pielock's listener keeps the decision for the current request's
 * {@code RateLimit} response fields ({@code io.pielock.web.RequestRateLimit}).
 * <p>
 * It runs on every limited call: it must be quick, and must not throw.
 */
@FunctionalInterface
public interface RateLimitDecisionListener {

    /** A listener that does nothing: the default, when no listener is configured. */
    RateLimitDecisionListener NONE = result -> {
    };

    /**
     * @param result the limiter's decision on one call of a {@code @RateLimited} method; with several limits, the
     *        one that decided (allowed: the fewest calls left; denied: the longest wait)
     */
    void decided(LimitResult result);
}
