package io.pielock.limiter;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pielock.store.memory.InMemoryRateLimitStore;
import io.pielock.test.CapturedLogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A store that fails for one key of several (keys of one call may live on different Redis Cluster nodes): the
 * limiter fails closed without keeping what it took from the keys before, or fails open and counts it.
 */
class LimiterStoreFailureTest {

    private final InMemoryRateLimitStore memory = new InMemoryRateLimitStore();

    private final RateLimitStore failingForGlobal = new RateLimitStore() {

        @Override
        public LimitAttempt tryConsume(String key, List<Limit> limits) {
            if (key.equals("global")) {
                throw new IllegalStateException("node of 'global' unreachable");
            }
            return LimiterStoreFailureTest.this.memory.tryConsume(key, limits);
        }

        @Override
        public void refund(String key, LimitAttempt recorded) {
            LimiterStoreFailureTest.this.memory.refund(key, recorded);
        }
    };

    private final List<KeyedLimits> userThenGlobal = List.of(KeyedLimits.of("user", Limit.of(1, TimeUnit.MINUTE)),
            KeyedLimits.of("global", Limit.of(100, TimeUnit.MINUTE)));

    @Test
    void failingClosedTakesTheCallBackFromTheKeysBefore() {
        Limiter limiter = new Limiter(this.failingForGlobal, false);
        assertThatExceptionOfType(LimiterUnavailableException.class)
            .isThrownBy(() -> limiter.allow(this.userThenGlobal))
            .withMessageStartingWith("Could not check rate limit key: global")
            .withCauseInstanceOf(IllegalStateException.class);
        assertThat(limiter.allow("user", TimeUnit.MINUTE, 1).allowed()).as("nothing left counted on 'user'").isTrue();
    }

    @Test
    void aStoreWrittenBeforeWeightedCallsServesCostOneAndRefusesMoreAsItsOwnError() {
        // this store implements only tryConsume(key, limits), as stores did before costs
        Limiter limiter = new Limiter(this.failingForGlobal, false);
        assertThat(limiter.allow("user", List.of(Limit.of(2, TimeUnit.MINUTE)), 1).remaining()).isEqualTo(1);
        assertThatExceptionOfType(LimiterUnavailableException.class)
            .isThrownBy(() -> limiter.allow("other", TimeUnit.MINUTE, 5, 2))
            .withMessageStartingWith("Could not check rate limit key: other")
            .havingCause()
            .isInstanceOf(UnsupportedOperationException.class)
            .withMessageEndingWith("cannot decide key: other for a call of cost 2: it does not implement weighted calls");
    }

    @Test
    void failingOpenAllowsUncheckedAndCounts() {
        Limiter limiter = new Limiter(this.failingForGlobal, true);
        LimitResult result = limiter.allow(this.userThenGlobal);
        assertThat(result.allowed()).isTrue();
        assertThat(result.message()).startsWith("Allowed without a rate limit check key: global");
        assertThat(result.remaining()).isZero();
        assertThat(limiter.getFailOpenCount()).isEqualTo(1);
    }

    @Test
    void failingOpenLogsAWarningNamingTheKey() {
        Limiter limiter = new Limiter(this.failingForGlobal, true);
        try (CapturedLogs logs = CapturedLogs.capture()) {
            limiter.allow(this.userThenGlobal);
            assertThat(logs.text()).contains("WARN " + Limiter.class.getName()
                    + " Rate limit store unreachable: allowing calls without a check (fail-open), 1 so far; "
                    + "latest key: global. Next warning in 10s at the earliest | java.lang.IllegalStateException: "
                    + "node of 'global' unreachable");
        }
    }

    @Test
    void failingOpenRepeatedlyWithinTenSecondsLogsOneWarning() {
        Limiter limiter = new Limiter(this.failingForGlobal, true);
        try (CapturedLogs logs = CapturedLogs.capture()) {
            for (int i = 0; i < 5; i++) {
                assertThat(limiter.allow("global", TimeUnit.MINUTE, 100).allowed()).isTrue();
            }
            assertThat(logs.text().split("Rate limit store unreachable", -1)).as("one warning for five calls")
                .hasSize(2);
            assertThat(limiter.getFailOpenCount()).isEqualTo(5);
        }
    }

    @Test
    void aLimiterSaysWhetherItFailsOpen() {
        assertThat(new Limiter(this.memory).isFailOpen()).isFalse();
        assertThat(new Limiter(this.memory, true).isFailOpen()).isTrue();
    }

    @Test
    void eachDecisionReportsItsOutcomeToTheObserverOnce() {
        List<String> outcomes = new ArrayList<>();
        Limiter closed = observed(new Limiter(this.failingForGlobal, false), outcomes);
        Limiter open = observed(new Limiter(this.failingForGlobal, true), outcomes);
        closed.allow("user", TimeUnit.MINUTE, 1);
        closed.allow("user", TimeUnit.MINUTE, 1);
        closed.allow("bulk", TimeUnit.MINUTE, 1, 2);
        assertThatExceptionOfType(LimiterUnavailableException.class).isThrownBy(() -> closed.allow("global",
                TimeUnit.MINUTE, 100));
        open.allow("global", TimeUnit.MINUTE, 100);
        assertThat(outcomes).containsExactly("allowed user", "denied user", "denied bulk",
                "unavailable global: node of 'global' unreachable", "failed open global: node of 'global' unreachable");
    }

    @Test
    void aStoreWithoutADescriptionIsNamedByItsClassWhenItCannotBeReached() {
        Limiter limiter = new Limiter(new UnreachableStore());
        assertThatExceptionOfType(LimiterUnavailableException.class)
            .isThrownBy(() -> limiter.allow("user", TimeUnit.MINUTE, 1))
            .withMessageContaining("the rate limit store could not be reached (UnreachableStore)");
    }

    @Test
    void aDenialWhoseCallCannotBeTakenBackFromAnEarlierKeyIsLoggedAndStillDenied() {
        RateLimitStore refundFails = new RateLimitStore() {

            @Override
            public LimitAttempt tryConsume(String key, List<Limit> limits) {
                return LimiterStoreFailureTest.this.memory.tryConsume(key, limits);
            }

            @Override
            public void refund(String key, LimitAttempt recorded) {
                throw new IllegalStateException("node of '" + key + "' unreachable");
            }
        };
        Limiter limiter = new Limiter(refundFails);
        List<KeyedLimits> userThenGlobal = List.of(KeyedLimits.of("user", Limit.of(5, TimeUnit.MINUTE)),
                KeyedLimits.of("global", Limit.of(1, TimeUnit.MINUTE)));
        limiter.allow("global", TimeUnit.MINUTE, 1);
        try (CapturedLogs logs = CapturedLogs.capture()) {
            LimitResult result = limiter.allow(userThenGlobal);
            assertThat(result.allowed()).isFalse();
            assertThat(result.key()).isEqualTo("global");
            assertThat(logs.text()).contains("WARN " + Limiter.class.getName() + " Could not take back a denied call "
                    + "from rate limit key: user; it counts until it leaves the window [5 per 1m] | "
                    + "java.lang.IllegalStateException: node of 'user' unreachable");
        }
    }

    private static Limiter observed(Limiter limiter, List<String> outcomes) {
        limiter.setObserver((store, keys, name) -> new LimiterObserver.Decision() {

            private final String key = keys.get(0).key();

            @Override
            public void allowed() {
                outcomes.add("allowed " + this.key);
            }

            @Override
            public void denied() {
                outcomes.add("denied " + this.key);
            }

            @Override
            public void failedOpen(Throwable cause) {
                outcomes.add("failed open " + this.key + ": " + cause.getMessage());
            }

            @Override
            public void unavailable(Throwable cause) {
                outcomes.add("unavailable " + this.key + ": " + cause.getMessage());
            }
        });
        return limiter;
    }

    static class UnreachableStore implements RateLimitStore {

        @Override
        public LimitAttempt tryConsume(String key, List<Limit> limits) {
            throw new IllegalStateException("unreachable");
        }

        @Override
        public void refund(String key, LimitAttempt recorded) {
        }
    }
}
