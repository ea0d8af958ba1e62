package io.pielock.limiter;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Which limit a decision over several windows and keys reports: the store's answers are given here as they come
 * back, so each rule is seen exactly, ties included.
 */
class KeysDecisionTest {

    private final Limit perSecond = Limit.of(2, TimeUnit.SECOND);

    private final Limit perMinute = Limit.of(30, TimeUnit.MINUTE);

    private final Limit perHour = Limit.of(100, TimeUnit.HOUR);

    @Test
    void ofSeveralFullWindowsTheOneThatFreesACallLastIsReported() {
        LimitAttempt denied = new LimitAttempt(false, List.of(full(this.perSecond, 400), full(this.perHour, 90_000),
                full(this.perMinute, 20_000)));
        LimitResult result = KeysDecision.denied("search", denied);
        assertThat(result.limit()).isEqualTo(this.perHour);
        assertThat(result.retryAfter()).isEqualTo(Duration.ofMillis(90_000));
        assertThat(result.message()).isEqualTo("Rate limit exceeded key: search (100 per 1h); retry after 90000ms");
    }

    @Test
    void aWindowWithRoomIsNeverReportedAsTheOneThatDenied() {
        LimitAttempt denied = new LimitAttempt(false, List.of(room(this.perHour, 50), full(this.perSecond, 300)));
        assertThat(KeysDecision.denied("search", denied).limit()).isEqualTo(this.perSecond);
    }

    @Test
    void fullWindowsThatFreeACallAtTheSameTimeReportTheFirstInTheGivenOrder() {
        LimitAttempt denied = new LimitAttempt(false, List.of(full(this.perSecond, 700), full(this.perMinute, 700)));
        assertThat(KeysDecision.denied("search", denied).limit()).isEqualTo(this.perSecond);
    }

    @Test
    void aDenialWithRoomInEveryWindowIsAStoreErrorNamingTheKey() {
        LimitAttempt broken = new LimitAttempt(false, List.of(room(this.perSecond, 1)));
        assertThatIllegalStateException().isThrownBy(() -> KeysDecision.denied("search", broken))
            .withMessageStartingWith("Rate limit store denied key: search but reported room in every window: ");
    }

    @Test
    void anAllowedCallReportsTheWindowWithFewestCallsLeftOverAllKeysTheFirstOnATie() {
        List<KeyedLimits> keys = List.of(KeyedLimits.of("user", this.perSecond, this.perMinute),
                KeyedLimits.of("global", this.perHour));
        KeysDecision decision = new KeysDecision(keys);
        decision.admitted(0, new LimitAttempt(true, List.of(room(this.perSecond, 5), room(this.perMinute, 3))));
        decision.admitted(1, new LimitAttempt(true, List.of(room(this.perHour, 3))));
        LimitResult result = decision.allowed();
        assertThat(result.key()).isEqualTo("user");
        assertThat(result.limit()).isEqualTo(this.perMinute);
        assertThat(result.remaining()).isEqualTo(3);
    }

    @Test
    void aCostAboveTheCountOfAnyLimitOfAnyKeyNeverPassesNamingThatLimit() {
        List<KeyedLimits> keys = List.of(KeyedLimits.of("user", this.perMinute), KeyedLimits.of("global",
                this.perSecond));
        assertThat(new KeysDecision(keys, 2).neverPasses()).isNull();
        LimitResult never = new KeysDecision(keys, 3).neverPasses();
        assertThat(never.key()).isEqualTo("global");
        assertThat(never.limit()).isEqualTo(this.perSecond);
        assertThat(new KeysDecision(keys).neverPasses()).isNull();
    }

    private static WindowState full(Limit limit, long retryMillis) {
        return new WindowState(limit, 0, Duration.ofMillis(retryMillis), 0);
    }

    private static WindowState room(Limit limit, long remaining) {
        return new WindowState(limit, remaining, Duration.ZERO, 0);
    }
}
