package io.pielock.web.reactive;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import io.pielock.limiter.RateLimitExceededException;
import io.pielock.web.RateLimitExceptionHandler;

/**
 * The WebFlux sibling of {@link RateLimitExceptionHandler}: answers a {@link RateLimitExceededException} that no
 * other handler took (a denied {@code @RateLimited} {@code Mono} or {@code Flux}, or a plain method) with the
 * same HTTP 429 Too Many Requests: {@code Retry-After}, {@code RateLimit-Policy}, {@code RateLimit} and an RFC
 * 9457 problem detail of the {@code quota-exceeded} type. It runs after the application's own exception handlers
 * (lowest precedence); to answer differently, handle the exception in your own {@code @ControllerAdvice} or
 * declare a bean of this type.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ReactiveRateLimitExceptionHandler {

    private final RateLimitExceptionHandler answers = new RateLimitExceptionHandler();

    /**
     * @param ex the exceeded limit
     * @return 429 with {@code Retry-After}, the rate-limit fields and a problem detail
     */
    @ExceptionHandler(RateLimitExceededException.class)
    public ResponseEntity<ProblemDetail> handleRateLimitExceeded(RateLimitExceededException ex) {
        return this.answers.handleRateLimitExceeded(ex);
    }
}
