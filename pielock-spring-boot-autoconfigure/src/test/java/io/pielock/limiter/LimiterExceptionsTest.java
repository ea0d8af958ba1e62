package io.pielock.limiter;

import java.lang.reflect.Method;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The exceptions a denied or undecidable call ends in: what they carry, and messages naming key, method and why. */
class LimiterExceptionsTest {

    private final Limit limit = Limit.of(2, TimeUnit.SECOND);

    @Test
    void anExceededLimitCarriesItsKeyLimitAndRetryTimeAndNamesTheMethodOnceGivenOne() throws Exception {
        RateLimitExceededException exceeded = new RateLimitExceededException("search", this.limit,
                Duration.ofMillis(250));
        assertThat(exceeded).hasMessage("Rate limit exceeded key: search (2 per 1s); retry after 250ms");
        assertThat(exceeded.getMethod()).isNull();
        RateLimitExceededException named = exceeded.forMethod(search());
        assertThat(named).hasMessage("Rate limit exceeded key: search for Catalog.search() (2 per 1s); retry after 250ms");
        assertThat(named.getKey()).isEqualTo("search");
        assertThat(named.getLimit()).isEqualTo(this.limit);
        assertThat(named.getRetryAfter()).isEqualTo(Duration.ofMillis(250));
        assertThat(named.getMethod()).isEqualTo(search());
        assertThat(named.getStackTrace()).isEqualTo(exceeded.getStackTrace());
    }

    @Test
    void anExceptionFromADeniedResultKeepsItsFiguresAndAnAllowedResultIsRefused() throws Exception {
        LimitResult denied = LimitResult.denied("search", this.limit, Duration.ofMillis(40));
        RateLimitExceededException exceeded = new RateLimitExceededException(denied, search());
        assertThat(exceeded).hasMessage("Rate limit exceeded key: search for Catalog.search() (2 per 1s); retry after 40ms");
        assertThat(exceeded.getRetryAfter()).isEqualTo(Duration.ofMillis(40));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new RateLimitExceededException(LimitResult.allowed("search", this.limit, 1), null))
            .withMessage("Result was allowed, not exceeded: Allowed key: search (1 of 2 per 1s left)");
    }

    @Test
    void aCallThatCanNeverPassSaysSoAlsoOnceItNamesTheMethod() throws Exception {
        LimitResult never = LimitResult.neverPasses("upload", this.limit, 5);
        RateLimitExceededException exceeded = new RateLimitExceededException(never, null);
        assertThat(exceeded).hasMessage(never.message());
        assertThat(exceeded.forMethod(search())).hasMessage(never.message() + " for Catalog.search()");
        assertThat(exceeded.getRetryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anUnreachableStoreNamesTheKeyTheStoreAndTheCause() throws Exception {
        LimiterUnavailableException unavailable = new LimiterUnavailableException("search", "Redis at db:6379",
                new IllegalStateException("connection refused"));
        assertThat(unavailable).hasMessage("Could not check rate limit key: search: the rate limit store could not be "
                + "reached (Redis at db:6379), so the call is denied (fail-closed; pielock.limiter.fail-open=true "
                + "allows calls unchecked while it is unreachable) (IllegalStateException: connection refused)");
        assertThat(unavailable.getKey()).isEqualTo("search");
        assertThat(unavailable.getMethod()).isNull();
        LimiterUnavailableException named = unavailable.forMethod(search());
        assertThat(named.getMessage()).startsWith("Could not check rate limit key: search for Catalog.search(): ")
            .contains("(Redis at db:6379)");
        assertThat(named.getMethod()).isEqualTo(search());
        assertThat(named.getKey()).isEqualTo("search");
        assertThat(named.getCause()).isSameAs(unavailable.getCause());
        assertThat(named.getStackTrace()).isEqualTo(unavailable.getStackTrace());
    }

    @Test
    void withoutAStoreOrCauseTheMessageLeavesThemOut() {
        assertThat(new LimiterUnavailableException("search", null)).hasMessage("Could not check rate limit key: "
                + "search: the rate limit store could not be reached, so the call is denied (fail-closed; "
                + "pielock.limiter.fail-open=true allows calls unchecked while it is unreachable)");
    }

    private static Method search() throws NoSuchMethodException {
        return Catalog.class.getDeclaredMethod("search");
    }

    static class Catalog {

        void search() {
        }
    }
}
