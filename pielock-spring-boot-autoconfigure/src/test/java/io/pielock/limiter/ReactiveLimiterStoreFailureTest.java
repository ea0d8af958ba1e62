package io.pielock.limiter;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import io.pielock.store.memory.InMemoryRateLimitStore;
import io.pielock.store.memory.ReactiveInMemoryRateLimitStore;
import io.pielock.test.CapturedLogs;
import io.pielock.test.NonBlocking;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reactive store that fails for one key of several: the reactive limiter fails closed with an error signal
 * without keeping what it took from the keys before, or fails open and counts it, and reports each decision to
 * its observer, as {@link LimiterStoreFailureTest} shows for {@link Limiter}.
 */
class ReactiveLimiterStoreFailureTest {

    private final ReactiveInMemoryRateLimitStore memory = new ReactiveInMemoryRateLimitStore(
            new InMemoryRateLimitStore());

    private final ReactiveRateLimitStore failingForGlobal = new ReactiveRateLimitStore() {

        @Override
        public Mono<LimitAttempt> tryConsume(String key, List<Limit> limits) {
            if (key.equals("global")) {
                return Mono.error(new IllegalStateException("node of 'global' unreachable"));
            }
            return ReactiveLimiterStoreFailureTest.this.memory.tryConsume(key, limits);
        }

        @Override
        public Mono<Void> refund(String key, LimitAttempt recorded) {
            return ReactiveLimiterStoreFailureTest.this.memory.refund(key, recorded);
        }
    };

    private final List<KeyedLimits> userThenGlobal = List.of(KeyedLimits.of("user", Limit.of(1, TimeUnit.MINUTE)),
            KeyedLimits.of("global", Limit.of(100, TimeUnit.MINUTE)));

    @BeforeAll
    static void installBlockHound() {
        NonBlocking.install();
    }

    @Test
    void failingClosedIsAnErrorSignalAndTakesTheCallBackFromTheKeysBefore() {
        ReactiveLimiter limiter = new ReactiveLimiter(this.failingForGlobal, false);
        StepVerifier.create(limiter.allow(this.userThenGlobal).subscribeOn(Schedulers.parallel()))
            .expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(LimiterUnavailableException.class)
                .hasMessageStartingWith("Could not check rate limit key: global")
                .hasCauseInstanceOf(IllegalStateException.class))
            .verify();
        assertThat(limiter.allow("user", TimeUnit.MINUTE, 1).block().allowed()).as("nothing left counted on 'user'")
            .isTrue();
    }

    @Test
    void failingOpenAllowsUncheckedCountsAndWarnsOnceNamingTheKey() {
        ReactiveLimiter limiter = new ReactiveLimiter(this.failingForGlobal, true);
        try (CapturedLogs logs = CapturedLogs.capture()) {
            LimitResult result = limiter.allow(this.userThenGlobal).subscribeOn(Schedulers.parallel()).block();
            assertThat(result.allowed()).isTrue();
            assertThat(result.message()).startsWith("Allowed without a rate limit check key: global");
            for (int i = 0; i < 2; i++) {
                assertThat(limiter.allow("global", TimeUnit.MINUTE, 100).subscribeOn(Schedulers.parallel()).block()
                    .allowed()).isTrue();
            }
            assertThat(limiter.getFailOpenCount()).isEqualTo(3);
            assertThat(logs.text()).contains("WARN " + ReactiveLimiter.class.getName()
                    + " Rate limit store unreachable: allowing calls without a check (fail-open), 1 so far; "
                    + "latest key: global. Next warning in 10s at the earliest");
            assertThat(logs.text().split("Rate limit store unreachable", -1)).as("one warning for three calls")
                .hasSize(2);
        }
    }

    @Test
    void everyDecisionIsReportedToTheObserverOnce() {
        List<String> outcomes = new ArrayList<>();
        ReactiveLimiter closed = new ReactiveLimiter(this.failingForGlobal, false);
        ReactiveLimiter open = new ReactiveLimiter(this.failingForGlobal, true);
        closed.setObserver(recording(outcomes));
        open.setObserver(recording(outcomes));
        closed.allow("solo", TimeUnit.MINUTE, 1).block();
        closed.allow("solo", TimeUnit.MINUTE, 1).block();
        closed.allow(this.userThenGlobal).onErrorResume(ex -> Mono.empty()).block();
        open.allow(this.userThenGlobal).block();
        assertThat(outcomes).containsExactly("allowed", "denied", "unavailable", "failed-open");
    }

    private static LimiterObserver recording(List<String> outcomes) {
        return new LimiterObserver() {

            @Override
            public Decision decisionStarted(RateLimitStore store, List<KeyedLimits> keys, String name) {
                throw new AssertionError("a reactive limiter reports as such");
            }

            @Override
            public Decision decisionStarted(ReactiveRateLimitStore store, List<KeyedLimits> keys, String name) {
                return new Decision() {

                    @Override
                    public void allowed() {
                        outcomes.add("allowed");
                    }

                    @Override
                    public void denied() {
                        outcomes.add("denied");
                    }

                    @Override
                    public void failedOpen(Throwable cause) {
                        outcomes.add("failed-open");
                    }

                    @Override
                    public void unavailable(Throwable cause) {
                        outcomes.add("unavailable");
                    }
                };
            }
        };
    }
}
