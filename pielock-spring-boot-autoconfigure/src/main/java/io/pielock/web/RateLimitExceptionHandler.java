package io.pielock.web;

import java.net.URI;
import java.util.List;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import io.pielock.limiter.Limit;
import io.pielock.limiter.RateLimitExceededException;

/**
 * Answers a {@link RateLimitExceededException} that no other handler took with HTTP 429 Too Many Requests:
 * <ul>
 * <li>{@code Retry-After}: the seconds until a call could pass, rounded up;</li>
 * <li>{@code RateLimit-Policy} and {@code RateLimit}: the exhausted limit as a quota policy, for example
 * {@code "2-per-1s";q=2;w=1} and {@code "2-per-1s";r=0;t=1}, in the syntax of the IETF httpapi draft
 * <a href="https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/11/">RateLimit header fields
 * for HTTP, draft-ietf-httpapi-ratelimit-headers-11</a> (May 2026; {@code w} and {@code t} are whole seconds,
 * rounded up);</li>
 * <li>an RFC 9457 problem-detail body ({@code application/problem+json}) of the draft's
 * {@code quota-exceeded} problem type, whose {@code violated-policies} member names the policy.</li>
 * </ul>
 * The response names the limit, not the key or the method: keys may carry user data, and method names are
 * internals. It runs after the application's own exception handlers (lowest precedence); to answer differently,
 * handle the exception in your own {@code @ControllerAdvice} or declare a bean of this type. Answers to calls
 * that were allowed carry the same fields, written by {@link RateLimitHeadersAdvice}.
 * <p>
 * It also answers a {@link RateLimitRuleFailedException} (an HTTP rule that found no key or no valid cost for a
 * request) with 500 and a problem detail.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class RateLimitExceptionHandler {

    /** The draft's problem type for an exceeded quota (section 5.1). */
    public static final URI QUOTA_EXCEEDED = URI
        .create("https://iana.org/assignments/http-problem-types#quota-exceeded");

    /** The {@code RateLimit-Policy} response field. */
    public static final String RATE_LIMIT_POLICY = "RateLimit-Policy";

    /** The {@code RateLimit} response field. */
    public static final String RATE_LIMIT = "RateLimit";

    /** The title of the problem detail of a request that a rate limit rule could not be applied to. */
    public static final String RULE_FAILED_TITLE = "Rate Limit Rule Failed";

    /**
     * @param ex the exceeded limit
     * @return 429 with {@code Retry-After}, the rate-limit fields and a problem detail
     */
    @ExceptionHandler(RateLimitExceededException.class)
    public ResponseEntity<ProblemDetail> handleRateLimitExceeded(RateLimitExceededException ex) {
        Limit limit = ex.getLimit();
        long retryAfter = RateLimitFields.ceilSeconds(ex.getRetryAfter());
        String policy = RateLimitFields.policyName(limit);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "Rate limit of " + limit + " exceeded; retry after " + retryAfter + "s");
        problem.setType(QUOTA_EXCEEDED);
        problem.setTitle("Quota Exceeded");
        problem.setProperty("violated-policies", List.of(policy));
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
            .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter))
            .header(RATE_LIMIT_POLICY, RateLimitFields.policy(limit))
            .header(RATE_LIMIT, RateLimitFields.exhausted(limit, retryAfter))
            .body(problem);
    }

    /**
     * @param ex the request's failed rule
     * @return 500 with a problem detail that says the request could not be rate limited, naming no rule or
     *         expression (they are in the log)
     */
    @ExceptionHandler(RateLimitRuleFailedException.class)
    public ResponseEntity<ProblemDetail> handleRateLimitRuleFailed(RateLimitRuleFailedException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "This request could not be rate limited: a rate limit rule found no key or no valid cost for it");
        problem.setTitle(RULE_FAILED_TITLE);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem);
    }
}
