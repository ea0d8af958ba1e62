package io.pielock.web;

import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import io.pielock.limiter.LimitResult;

/**
 * The rate limit decision that applies to the current HTTP request: the most restrictive of the decisions
 * recorded while it was handled, kept as a request attribute for {@link RateLimitHeadersAdvice}, which writes it
 * as the response's {@code RateLimit-Policy} and {@code RateLimit} fields.
 * <p>
 * pielock records the decision of every {@code @RateLimited} method that runs on the request's thread: the
 * handler method itself, and any service method it calls. The response then describes the limit applied to that
 * request; if several were, the most restrictive: the fewest calls left, and of equal counts the longest wait
 * (a denied call's). Code that calls {@link io.pielock.limiter.Limiter#allow} itself may record its result the
 * same way.
 * <p>
 * Outside a request (no request bound to the thread by Spring MVC's {@code DispatcherServlet} or
 * {@code RequestContextFilter}: a scheduled job, a message listener, another thread) recording does nothing and
 * costs one thread-local read.
 */
public final class RequestRateLimit {

    /** The request attribute that holds the decision (a {@link LimitResult}). */
    public static final String ATTRIBUTE = RequestRateLimit.class.getName();

    private RequestRateLimit() {
    }

    /**
     * Keeps {@code result} for the current request if it is more restrictive than the one kept so far; does
     * nothing when no request is bound to this thread, or it has ended.
     * @param result a rate limit decision
     */
    public static void record(LimitResult result) {
        Objects.requireNonNull(result, "result must not be null");
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes == null) {
            return;
        }
        try {
            Object kept = attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
            if (!(kept instanceof LimitResult current) || isMoreRestrictive(result, current)) {
                attributes.setAttribute(ATTRIBUTE, result, RequestAttributes.SCOPE_REQUEST);
            }
        }
        catch (IllegalStateException ex) {
            // the request has ended (attributes leaked to another thread): there is no answer left to describe
        }
    }

    /**
     * @param request a request
     * @return the decision kept for it, or {@code null} if no rate limit decided anything while it was handled
     */
    public static LimitResult of(HttpServletRequest request) {
        return (request.getAttribute(ATTRIBUTE) instanceof LimitResult result) ? result : null;
    }

    /** Fewer calls left, or as few and a longer wait (a denied call's). */
    static boolean isMoreRestrictive(LimitResult candidate, LimitResult current) {
        return RateLimitFields.isMoreRestrictive(candidate, current);
    }
}
