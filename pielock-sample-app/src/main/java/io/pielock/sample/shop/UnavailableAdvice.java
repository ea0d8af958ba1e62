package io.pielock.sample.shop;

import java.time.Duration;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.pielock.limiter.LimiterUnavailableException;
import io.pielock.lock.LockAcquisitionException;

/**
 * Answers 503 with {@code Retry-After} when a request could not do its work for now: a rate limit could not be
 * checked (Redis unreachable, and pielock's limiter fails closed), a lock could not be had (waited
 * {@code pielock.lock.timeout}, or Redis unreachable), or the shop's store is unreachable. The request changed
 * nothing and may be retried; the detail says why.
 */
@RestControllerAdvice
public class UnavailableAdvice {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /**
     * Handled here rather than by {@link #storeUnreachable}, which would match its cause: the answer names the
     * rate limit that could not be checked, not just "store unreachable".
     * @param ex the limiter's store could not be reached: its message names the key, the method (for
     *        {@code @RateLimited} methods) and the store's error
     * @return a 503 problem detail
     */
    @ExceptionHandler(LimiterUnavailableException.class)
    public ResponseEntity<ProblemDetail> rateLimitNotChecked(LimiterUnavailableException ex) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
        body.setTitle("Rate limit not checked");
        body.setProperty("key", ex.getKey());
        if (ex.getMethod() != null) {
            body.setProperty("method", ex.getMethod().getDeclaringClass().getSimpleName() + "."
                    + ex.getMethod().getName() + "()");
        }
        return unavailable(body);
    }

    /**
     * @param ex why the lock was not acquired: its message names the key, the method and the reason
     * @return a 503 problem detail
     */
    @ExceptionHandler(LockAcquisitionException.class)
    public ResponseEntity<ProblemDetail> lockNotAcquired(LockAcquisitionException ex) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
        body.setTitle("Lock not acquired");
        body.setProperty("key", ex.getKey());
        body.setProperty("reason", ex.getReason());
        return unavailable(body);
    }

    /**
     * @param ex the store's connection failure (Redis unreachable)
     * @return a 503 problem detail
     */
    @ExceptionHandler(DataAccessResourceFailureException.class)
    public ResponseEntity<ProblemDetail> storeUnreachable(DataAccessResourceFailureException ex) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The shop's store could not be reached: " + ex.getMessage());
        body.setTitle("Store unreachable");
        return unavailable(body);
    }

    private static ResponseEntity<ProblemDetail> unavailable(ProblemDetail body) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()))
            .body(body);
    }
}
