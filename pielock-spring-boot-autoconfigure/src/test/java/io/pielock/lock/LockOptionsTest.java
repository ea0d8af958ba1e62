package io.pielock.lock;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Lock options validate themselves when built, at the edges of each range, and say which value is wrong. */
class LockOptionsTest {

    private final LockOptions defaults = LockOptions.defaults();

    @Test
    void theLibraryDefaultsAreThirtySecondLeasesAMinutesWaitAndASecondsRetry() {
        assertThat(this.defaults.expires()).isEqualTo(Duration.ofSeconds(30));
        assertThat(this.defaults.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(this.defaults.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(this.defaults.tries()).isZero();
        assertThat(this.defaults.renew()).isTrue();
        assertThat(this.defaults.reentrant()).isTrue();
    }

    @Test
    void eachWithChangesOneValueAndKeepsTheOthers() {
        LockOptions changed = this.defaults.withExpires(Duration.ofSeconds(5)).withTimeout(Duration.ZERO)
            .withRetryAfter(Duration.ofMillis(20)).withTries(3).withRenew(false).withReentrant(false);
        assertThat(changed).isEqualTo(new LockOptions(Duration.ofSeconds(5), Duration.ZERO, Duration.ofMillis(20), 3,
                false, false));
        assertThat(changed).hasSameHashCodeAs(new LockOptions(Duration.ofSeconds(5), Duration.ZERO,
                Duration.ofMillis(20), 3, false, false));
        assertThat(changed).isNotEqualTo(changed.withReentrant(true)).isNotEqualTo(changed.withRenew(true))
            .isNotEqualTo(changed.withTries(4)).isNotEqualTo(changed.withRetryAfter(Duration.ofMillis(21)))
            .isNotEqualTo(changed.withTimeout(Duration.ofMillis(1)))
            .isNotEqualTo(changed.withExpires(Duration.ofSeconds(6))).isNotEqualTo(changed.withName("invoice"));
        assertThat(changed).hasToString("LockOptions[expires=PT5S, timeout=PT0S, retryAfter=PT0.02S, tries=3, "
                + "renew=false, reentrant=false, name=programmatic]");
        assertThat(new LockOptions(Duration.ofSeconds(5), Duration.ZERO, Duration.ofMillis(20), 3, false).reentrant())
            .isTrue();
    }

    @Test
    void theSmallestAndLargestValuesAreAccepted() {
        LockOptions edges = this.defaults.withExpires(Duration.ofMillis(1)).withTimeout(Duration.ZERO)
            .withRetryAfter(Duration.ofMillis(1));
        assertThat(edges.expires()).isEqualTo(Duration.ofMillis(1));
        assertThat(edges.retryAfter()).isEqualTo(Duration.ofMillis(1));
        LockOptions longest = this.defaults.withExpires(LockOptions.MAX_DURATION)
            .withTimeout(LockOptions.MAX_DURATION).withRetryAfter(LockOptions.MAX_DURATION);
        assertThat(longest.expires()).isEqualTo(Duration.ofDays(36_500));
        assertThat(longest.timeout()).isEqualTo(Duration.ofDays(36_500));
    }

    @Test
    void valuesOutOfRangeAreRefusedNamingTheValueAndTheRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> this.defaults.withExpires(Duration.ZERO))
            .withMessage("expires must be at least 1ms, but was 0ms");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> this.defaults.withRetryAfter(Duration.ofNanos(999_999)))
            .withMessage("retryAfter must be at least 1ms, but was PT0.000999999S");
        assertThatIllegalArgumentException().isThrownBy(() -> this.defaults.withTimeout(Duration.ofMillis(-1)))
            .withMessage("timeout must not be negative, but was -1ms");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> this.defaults.withTimeout(LockOptions.MAX_DURATION.plusMillis(1)))
            .withMessage("timeout must be at most 36500d (100 years), but was 3153600000001ms");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> this.defaults.withExpires(Duration.ofMillis(1500).plusNanos(1)))
            .withMessageStartingWith("expires must be a whole number of milliseconds");
        assertThatIllegalArgumentException().isThrownBy(() -> this.defaults.withExpires(null))
            .withMessage("expires must not be null");
        assertThatIllegalArgumentException().isThrownBy(() -> this.defaults.withTries(-1))
            .withMessage("tries must be 0 (no limit) or positive, but was -1");
        assertThat(this.defaults.withTries(0).tries()).isZero();
    }

    @Test
    void aLockIsNamedProgrammaticUnlessGivenAName() {
        assertThat(this.defaults.name()).isEqualTo(LockOptions.PROGRAMMATIC).isEqualTo("programmatic");
        assertThat(this.defaults.withName("invoice").name()).isEqualTo("invoice");
        assertThatIllegalArgumentException().isThrownBy(() -> this.defaults.withName(" "))
            .withMessage("name must not be null or blank, but was ' '");
    }
}
