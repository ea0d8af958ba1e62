package io.pielock.web.reactive;

import java.util.concurrent.atomic.AtomicReference;

import io.pielock.interceptor.RateLimitDecisionListener;
import io.pielock.limiter.LimitResult;
import io.pielock.web.RateLimitFields;

/**
 * The rate limit decision that applies to one WebFlux exchange: the most restrictive of the decisions recorded
 * while it was handled (fewest calls left, and of equal counts the longest wait), as
 * {@code io.pielock.web.RequestRateLimit} keeps it for a Spring MVC request. {@link RateLimitHeadersWebFilter}
 * puts one into the Reactor {@code Context} of each exchange under {@link RateLimitDecisionListener#CONTEXT_KEY};
 * {@code @RateLimited} {@code Mono} and {@code Flux} methods subscribed to within the exchange record their
 * decisions in it, from whichever thread decides. Code that calls {@code ReactiveLimiter.allow} itself may record
 * its result the same way, through {@link #record(LimitResult)}.
 */
public final class ExchangeRateLimit implements RateLimitDecisionListener {

    private final AtomicReference<LimitResult> kept = new AtomicReference<>();

    /**
     * Keeps {@code result} if it is more restrictive than the decision kept so far.
     * @param result a rate limit decision
     */
    public void record(LimitResult result) {
        this.kept.accumulateAndGet(result,
                (current, candidate) -> (current == null || RateLimitFields.isMoreRestrictive(candidate, current))
                        ? candidate : current);
    }

    /** Records the decision of a {@code @RateLimited} method. */
    @Override
    public void decided(LimitResult result) {
        record(result);
    }

    /** @return the decision kept, or {@code null} if none was made while the exchange was handled */
    public LimitResult get() {
        return this.kept.get();
    }
}
