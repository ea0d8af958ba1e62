package io.pielock.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import io.pielock.limiter.Algorithm;
import io.pielock.limiter.Limit;
import io.pielock.limiter.RateLimitExceededException;
import io.pielock.limiter.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 429 answer's fields for windows and waits that are not whole seconds (the fields only take seconds), and
 * for limits of either algorithm.
 */
class RateLimitExceptionHandlerTest {

    private final RateLimitExceptionHandler handler = new RateLimitExceptionHandler();

    @Test
    void fractionsOfASecondAreRoundedUpAndNeverToZero() {
        ResponseEntity<ProblemDetail> response = this.handler.handleRateLimitExceeded(
                new RateLimitExceededException("k", Limit.of(3, Duration.ofMillis(500)), Duration.ofNanos(1)));
        assertThat(response.getStatusCode().value()).isEqualTo(429);
        assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(response.getHeaders().getFirst("RateLimit-Policy")).isEqualTo("\"3-per-500ms\";q=3;w=1");
        assertThat(response.getHeaders().getFirst("RateLimit")).isEqualTo("\"3-per-500ms\";r=0;t=1");
    }

    @Test
    void secondsAndAFractionRoundUpToTheNextSecond() {
        ResponseEntity<ProblemDetail> response = this.handler.handleRateLimitExceeded(new RateLimitExceededException(
                "k", Limit.of(100, Duration.ofMillis(1500)), Duration.ofMillis(1001)));
        assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("2");
        assertThat(response.getHeaders().getFirst("RateLimit-Policy")).isEqualTo("\"100-per-1500ms\";q=100;w=2");
    }

    @Test
    void aGcraLimitNamesItsAlgorithmInThePolicy() {
        ResponseEntity<ProblemDetail> response = this.handler.handleRateLimitExceeded(new RateLimitExceededException(
                "k", Limit.of(2, TimeUnit.SECOND, Algorithm.GCRA), Duration.ofMillis(300)));
        assertThat(response.getHeaders().getFirst("RateLimit-Policy")).isEqualTo("\"2-per-1s-GCRA\";q=2;w=1");
        assertThat(response.getBody().getDetail()).isEqualTo("Rate limit of 2 per 1s, GCRA exceeded; retry after 1s");
    }
}
