package io.pielock.web.reactive;

import java.net.URI;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;

import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import io.pielock.interceptor.RateLimitDecisionListener;
import io.pielock.limiter.LimitResult;
import io.pielock.limiter.RateLimitExceededException;
import io.pielock.limiter.ReactiveLimiter;
import io.pielock.web.HttpRateLimitRules;
import io.pielock.web.RateLimitExceptionHandler;
import io.pielock.web.RateLimitRuleFailedException;

/**
 * Applies the HTTP rate limit rules ({@link HttpRateLimitRules}, {@code pielock.limiter.http.rules}) to WebFlux
 * exchanges, without blocking (a {@link ReactiveLimiter}). {@code #request} is a {@link RuleRequest}, and
 * {@code #principal} the exchange's principal or {@code null}. The keys of all matching rules are decided as one
 * call, so a denial takes the request back from the rules before; a denied exchange is answered with the 429 of
 * {@link RateLimitExceptionHandler} (same fields, same problem detail), written here because exceptions of web
 * filters do not reach {@code @ControllerAdvice}. An allowed decision is recorded in the exchange's
 * {@link ExchangeRateLimit}, so {@link RateLimitHeadersWebFilter} reports the most restrictive of the rules and the
 * {@code @RateLimited} methods. Each rule takes its own cost from its own limits, all or nothing across the rules.
 * A rule whose key is null or blank, or whose cost is not a whole number of at least 1, is logged as an error (at
 * most once every 10 seconds per rule); the exchange is then answered 500 with the problem detail of
 * {@link RateLimitExceptionHandler#handleRateLimitRuleFailed}, or let through without that rule
 * ({@code pielock.limiter.http.on-missing-key}).
 */
public class RateLimitRulesWebFilter implements WebFilter, Ordered {

    /** Just inside {@link RateLimitHeadersWebFilter}, whose context carries the exchange's decisions. */
    public static final int ORDER = RateLimitHeadersWebFilter.ORDER + 1;

    private final HttpRateLimitRules rules;

    private final ReactiveLimiter limiter;

    private final ServerCodecConfigurer codecs;

    private final RateLimitExceptionHandler answers = new RateLimitExceptionHandler();

    /**
     * @param rules the rules
     * @param limiter the limiter deciding them
     * @param codecs the application's codecs, to write the 429's problem detail
     */
    public RateLimitRulesWebFilter(HttpRateLimitRules rules, ReactiveLimiter limiter, ServerCodecConfigurer codecs) {
        this.rules = rules;
        this.limiter = limiter;
        this.codecs = codecs;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        return exchange.getPrincipal().map(Optional::<Principal>of).defaultIfEmpty(Optional.empty())
            .flatMap(principal -> {
                HttpRateLimitRules.Plan plan = this.rules.plan(request.getMethod().name(),
                        request.getPath().pathWithinApplication(), new RuleRequest(request), principal.orElse(null),
                        this.limiter.catalog());
                if (plan.ruleFailed()) {
                    return write(this.answers.handleRateLimitRuleFailed(new RateLimitRuleFailedException(
                            request.getMethod().name(), request.getPath().pathWithinApplication().value())),
                            exchange);
                }
                if (!plan.limited()) {
                    return chain.filter(exchange);
                }
                return this.limiter.allow(plan.keys(), plan.name(), plan.costs()).flatMap(result -> result.allowed()
                        ? recorded(result).then(chain.filter(exchange)) : deny(result, exchange));
            });
    }

    private static Mono<Void> recorded(LimitResult result) {
        return Mono.deferContextual(context -> {
            context.<RateLimitDecisionListener>getOrEmpty(RateLimitDecisionListener.CONTEXT_KEY)
                .ifPresent(decisions -> decisions.decided(result));
            return Mono.empty();
        });
    }

    private Mono<Void> deny(LimitResult result, ServerWebExchange exchange) {
        return write(this.answers.handleRateLimitExceeded(new RateLimitExceededException(result, null)), exchange);
    }

    /** Writes the answer as Spring would a handler's {@code ResponseEntity<ProblemDetail>}, instance included. */
    @SuppressWarnings("unchecked")
    private Mono<Void> write(ResponseEntity<ProblemDetail> answer, ServerWebExchange exchange) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(answer.getStatusCode());
        response.getHeaders().putAll(answer.getHeaders());
        ProblemDetail body = answer.getBody();
        if (body.getInstance() == null) {
            body.setInstance(URI.create(exchange.getRequest().getPath().value()));
        }
        ResolvableType type = ResolvableType.forInstance(body);
        for (HttpMessageWriter<?> writer : this.codecs.getWriters()) {
            if (writer.canWrite(type, MediaType.APPLICATION_PROBLEM_JSON)) {
                return ((HttpMessageWriter<ProblemDetail>) writer).write(Mono.just(body), type,
                        MediaType.APPLICATION_PROBLEM_JSON, response, Map.of());
            }
        }
        return response.setComplete(); // no JSON codec: the status and fields still say it all
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
