package io.pielock.sample.shop;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.pielock.lock.LockAcquisitionException;

/**
 * Answers 503 when a lock cannot be had (waited too long, or Redis unreachable): the request did nothing and
 * may be retried. The detail is the exception's message, which names the key, the method and the reason.
 */
@RestControllerAdvice
public class LockFailureAdvice {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /**
     * @param ex why the lock was not acquired
     * @return a 503 problem detail with {@code Retry-After}
     */
    @ExceptionHandler(LockAcquisitionException.class)
    public ResponseEntity<ProblemDetail> lockNotAcquired(LockAcquisitionException ex) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
        body.setTitle("Lock not acquired");
        body.setProperty("key", ex.getKey());
        body.setProperty("reason", ex.getReason());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()))
            .body(body);
    }
}
