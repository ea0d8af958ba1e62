package io.pielock.limiter;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.pielock.store.memory.InMemoryRateLimitStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** How a limit describes itself, in {@code toString()} and in the messages that name it: in its largest unit. */
class LimitTest {

    @Test
    void windowsOfWholeHoursReadInHours() {
        assertThat(Limit.of(100, TimeUnit.HOUR)).hasToString("100 per 1h");
        assertThat(Limit.of(5, Duration.ofHours(36))).hasToString("5 per 36h");
        assertThat(Limit.of(5, Duration.ofHours(2), Algorithm.GCRA)).hasToString("5 per 2h, GCRA");
    }

    @Test
    void windowsOfWholeDaysReadInDays() {
        assertThat(Limit.of(1_000, TimeUnit.DAY)).hasToString("1000 per 1d");
        assertThat(Limit.of(1_000, TimeUnit.WEEK)).hasToString("1000 per 7d");
        assertThat(Limit.of(1_000, TimeUnit.MONTH)).hasToString("1000 per 30d");
        assertThat(Limit.of(1, Limit.MAX_WINDOW)).hasToString("1 per 36500d");
    }

    @Test
    void shorterWindowsReadInMinutesSecondsOrMilliseconds() {
        assertThat(Limit.of(2, TimeUnit.MINUTE)).hasToString("2 per 1m");
        assertThat(Limit.of(2, Duration.ofMinutes(90))).hasToString("2 per 90m");
        assertThat(Limit.of(2, Duration.ofSeconds(90))).hasToString("2 per 90s");
        assertThat(Limit.of(2, TimeUnit.SECOND)).hasToString("2 per 1s");
        assertThat(Limit.of(2, Duration.ofMillis(1500))).hasToString("2 per 1500ms");
        assertThat(Limit.of(2, Duration.ofMillis(1))).hasToString("2 per 1ms");
    }

    @Test
    void aDenialNamesTheLimitInItsLargestUnit() {
        Limiter limiter = new Limiter(new InMemoryRateLimitStore());
        limiter.allow("reports", TimeUnit.HOUR, 1);
        assertThat(limiter.allow("reports", TimeUnit.HOUR, 1).message())
            .startsWith("Rate limit exceeded key: reports (1 per 1h); retry after ");
        limiter.allow("exports", TimeUnit.MONTH, 1);
        assertThat(limiter.allow("exports", TimeUnit.MONTH, 1).message())
            .startsWith("Rate limit exceeded key: exports (1 per 30d); retry after ");
        limiter.allow("digests", TimeUnit.WEEK, 1);
        assertThat(limiter.allow("digests", TimeUnit.WEEK, 1).message())
            .startsWith("Rate limit exceeded key: digests (1 per 7d); retry after ");
    }

    @Test
    void aRefusedLimitNamesItsWindowInItsLargestUnit() {
        assertThatIllegalArgumentException().isThrownBy(() -> Limit.of(2_000_000, TimeUnit.DAY))
            .withMessageContaining("but was 2000000 per 1d;");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Limit.of(4_000_000, Duration.ofSeconds(1), Algorithm.GCRA))
            .withMessage("Rate limit count of GCRA must be at most one per microsecond of the window (1000000 per "
                    + "1s), but was 4000000");
        assertThatIllegalArgumentException().isThrownBy(() -> Limit.of(1, Limit.MAX_WINDOW.plusMillis(1)))
            .withMessageStartingWith("Rate limit window must be at most 36500d (100 years)");
    }

    @Test
    void theLargestCountsOfEachAlgorithmAreAccepted() {
        assertThat(Limit.of(Limit.MAX_SLIDING_WINDOW_COUNT, TimeUnit.DAY).count()).isEqualTo(1_000_000);
        assertThat(Limit.of(1_000_000, Duration.ofSeconds(1), Algorithm.GCRA).count()).isEqualTo(1_000_000);
        assertThatIllegalArgumentException().isThrownBy(() -> Limit.of(1_000_001, TimeUnit.DAY));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Limit.of(1_000_001, Duration.ofSeconds(1), Algorithm.GCRA));
    }

    @Test
    void aDenialsRetryAfterIsRoundedUpToWholeMilliseconds() {
        Limit limit = Limit.of(2, TimeUnit.SECOND);
        assertThat(RateLimitExceededException.message("k", limit, Duration.ofMillis(3), null))
            .isEqualTo("Rate limit exceeded key: k (2 per 1s); retry after 3ms");
        assertThat(RateLimitExceededException.message("k", limit, Duration.ofNanos(1_500_000), null))
            .endsWith("; retry after 2ms");
        assertThat(RateLimitExceededException.message("k", limit, Duration.ofNanos(1), null))
            .endsWith("; retry after 1ms");
    }

    @Test
    void withAlgorithmChangesOnlyHowCallsAreCounted() {
        Limit sliding = Limit.of(5, TimeUnit.MINUTE);
        assertThat(sliding.withAlgorithm(Algorithm.SLIDING_WINDOW)).isSameAs(sliding);
        assertThat(sliding.withAlgorithm(Algorithm.GCRA)).isEqualTo(Limit.of(5, TimeUnit.MINUTE, Algorithm.GCRA));
    }
}
