package io.pielock.interceptor;

import io.pielock.limiter.LimitResult;

/**
 * Told the decision of every {@code @RateLimited} call, allowed or denied, by {@link RateLimitInterceptor}: before
 * the method, its fallback or the {@link io.pielock.limiter.RateLimitExceededException} runs; on the calling
 * thread, except for a {@code Mono} or {@code Flux} method, decided at subscription on whichever thread the
 * decision completes. In a Spring MVC application, pielock's listener keeps the decision for the current request's
 * {@code RateLimit} response fields ({@code io.pielock.web.RequestRateLimit}).
 * <p>
 * It runs on every limited call: it must be quick, and must not throw.
 */
@FunctionalInterface
public interface RateLimitDecisionListener {

    /**
     * The key under which a reactive subscriber's Reactor {@code Context} may carry one more listener, told the
     * decisions of the {@code @RateLimited} {@code Mono} and {@code Flux} methods subscribed to within it (pielock's
     * WebFlux filter puts the exchange's there, for its {@code RateLimit} response fields): {@value}.
     */
    String CONTEXT_KEY = "io.pielock.interceptor.RateLimitDecisionListener";

    /** A listener that does nothing: the default, when no listener is configured. */
    RateLimitDecisionListener NONE = result -> {
    };

    /**
     * @param result the limiter's decision on one call of a {@code @RateLimited} method; with several limits, the
     *        one that decided (allowed: the fewest calls left; denied: the longest wait)
     */
    void decided(LimitResult result);
}
