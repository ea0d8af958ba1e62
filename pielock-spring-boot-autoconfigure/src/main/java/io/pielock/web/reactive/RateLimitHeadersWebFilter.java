package io.pielock.web.reactive;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import io.pielock.interceptor.RateLimitDecisionListener;
import io.pielock.limiter.LimitResult;
import io.pielock.web.RateLimitExceptionHandler;
import io.pielock.web.RateLimitFields;

/**
 * Writes the rate limit decision of a WebFlux exchange as the response's {@code RateLimit-Policy} and
 * {@code RateLimit} fields, as {@code io.pielock.web.RateLimitHeadersAdvice} does for Spring MVC: for example
 * {@code "2-per-1m";q=2;w=60} and {@code "2-per-1m";r=1}.
 * <p>
 * Each exchange gets an {@link ExchangeRateLimit} in its Reactor {@code Context}
 * ({@link RateLimitDecisionListener#CONTEXT_KEY}); every {@code @RateLimited} {@code Mono} or {@code Flux} method
 * subscribed to while the exchange is handled records its decision there, whatever thread it decides on. The
 * fields are written once, just before the response is committed ({@link ServerHttpResponse#beforeCommit}), with
 * the most restrictive decision; a response that already carries a {@code RateLimit} field (pielock's 429, or the
 * application's own) is left alone. Decisions of plain (blocking) {@code @RateLimited} methods are not seen: they
 * are not made within a subscription.
 */
public class RateLimitHeadersWebFilter implements WebFilter, Ordered {

    /** Early, so that the whole handling of the exchange runs inside the filter's context. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ExchangeRateLimit decisions = new ExchangeRateLimit();
        ServerHttpResponse response = exchange.getResponse();
        response.beforeCommit(() -> Mono.fromRunnable(() -> write(decisions.get(), response.getHeaders())));
        return chain.filter(exchange).contextWrite(context -> context.put(RateLimitDecisionListener.CONTEXT_KEY,
                decisions));
    }

    private static void write(LimitResult result, HttpHeaders headers) {
        if (result != null && !headers.containsHeader(RateLimitExceptionHandler.RATE_LIMIT)) {
            headers.set(RateLimitExceptionHandler.RATE_LIMIT_POLICY, RateLimitFields.policy(result.limit()));
            headers.set(RateLimitExceptionHandler.RATE_LIMIT, RateLimitFields.rateLimit(result));
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
