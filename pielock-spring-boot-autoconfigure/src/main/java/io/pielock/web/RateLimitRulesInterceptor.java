package io.pielock.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.server.RequestPath;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.util.ServletRequestPathUtils;

import io.pielock.limiter.LimitResult;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.RateLimitExceededException;

/**
 * Applies the HTTP rate limit rules ({@link HttpRateLimitRules}, {@code pielock.limiter.http.rules}) to Spring MVC
 * requests before their handler runs. A {@link HandlerInterceptor} rather than a servlet {@code Filter}: it runs
 * inside the {@code DispatcherServlet}, after Spring's {@code ForwardedHeaderFilter} (so {@code #request.remoteAddr}
 * is the client's address when {@code server.forward-headers-strategy=framework}) and after Spring Security (so
 * {@code #principal} is known), and a denial is a {@link RateLimitExceededException} that
 * {@link RateLimitExceptionHandler} answers with the same 429 as a {@code @RateLimited} method. Requests that no
 * handler maps (some 404s) are not limited.
 * <p>
 * The keys of all matching rules are decided as one call ({@link Limiter#allow(java.util.List, String)}): a denial
 * takes the request back from the rules before. An allowed decision is recorded for the response's
 * {@code RateLimit} fields ({@link RequestRateLimit}), with those of {@code @RateLimited} methods of the request.
 * Each rule takes its own cost from its own limits, all or nothing across the rules. A rule whose key is null or
 * blank, or whose cost is not a whole number of at least 1, is logged as an error (at most once every 10 seconds per
 * rule); the request is then denied with a {@link RateLimitRuleFailedException}, which
 * {@link RateLimitExceptionHandler} answers 500 with a problem detail, or let through without that rule
 * ({@code pielock.limiter.http.on-missing-key}). Only the request's own dispatch is decided: error pages
 * and async dispatches of a request that was decided already are not counted again, even where a rule's pattern
 * (such as {@code /**}) matches {@code /error}.
 */
public class RateLimitRulesInterceptor implements HandlerInterceptor {

    private final HttpRateLimitRules rules;

    private final Limiter limiter;

    /**
     * @param rules the rules
     * @param limiter the limiter deciding them
     */
    public RateLimitRulesInterceptor(HttpRateLimitRules rules, Limiter limiter) {
        this.rules = rules;
        this.limiter = limiter;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        if (request.getDispatcherType() != DispatcherType.REQUEST) {
            return true; // an error page or async dispatch of a request that was decided already
        }
        RequestPath path = ServletRequestPathUtils.hasParsedRequestPath(request)
                ? ServletRequestPathUtils.getParsedRequestPath(request)
                : RequestPath.parse(request.getRequestURI(), request.getContextPath());
        HttpRateLimitRules.Plan plan = this.rules.plan(request.getMethod(), path.pathWithinApplication(), request,
                request.getUserPrincipal(), this.limiter.catalog());
        if (plan.ruleFailed()) {
            throw new RateLimitRuleFailedException(request.getMethod(), path.pathWithinApplication().value());
        }
        if (!plan.limited()) {
            return true;
        }
        LimitResult result = this.limiter.allow(plan.keys(), plan.name(), plan.costs());
        if (!result.allowed()) {
            throw new RateLimitExceededException(result, null);
        }
        RequestRateLimit.record(result);
        return true;
    }
}
