package io.pielock.limiter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.pielock.store.memory.InMemoryRateLimitStore;
import io.pielock.store.memory.ReactiveInMemoryRateLimitStore;
import io.pielock.test.CapturedLogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reactive limiter's own surface beside the shared contract: named limits, its settings, a store that
 * answers nothing or cannot take a call back, and stores written before weighted calls.
 */
class ReactiveLimiterTest {

    private final InMemoryRateLimitStore memory = new InMemoryRateLimitStore();

    private final ReactiveInMemoryRateLimitStore store = new ReactiveInMemoryRateLimitStore(this.memory);

    @Test
    void aReactiveLimiterDecidesANamedLimitAsItIsDefinedAtTheCall() {
        ReactiveLimiter limiter = new ReactiveLimiter(this.store);
        assertThat(limiter.catalog()).isSameAs(LimitCatalog.NONE);
        limiter.setCatalog(LimitCatalog.of(Map.of("free", LimitCatalog.parse("1/1m"))));
        assertThat(limiter.allow("user-1", "free").block().allowed()).isTrue();
        assertThat(limiter.allow("user-1", "free").block().allowed()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow("user-1", "gold").block())
            .withMessageStartingWith("Unknown named rate limit 'gold' for key: user-1; known names: [free]");
    }

    @Test
    void aReactiveLimiterSaysWhichStoreItUsesAndWhetherItFailsOpen() {
        assertThat(new ReactiveLimiter(this.store).getStore()).isSameAs(this.store);
        assertThat(new ReactiveLimiter(this.store).isFailOpen()).isFalse();
        assertThat(new ReactiveLimiter(this.store, true).isFailOpen()).isTrue();
        assertThat(this.store.getStore()).isSameAs(this.memory);
        assertThat(this.store.describe()).isEqualTo("the in-memory store of this JVM");
    }

    @Test
    void aCallThatCanNeverPassIsReportedDenied() {
        List<String> outcomes = new ArrayList<>();
        ReactiveLimiter limiter = new ReactiveLimiter(this.store);
        limiter.setObserver(new LimiterObserver() {

            @Override
            public Decision decisionStarted(RateLimitStore store, List<KeyedLimits> keys, String name) {
                return Decision.NONE;
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
                        outcomes.add("failed open");
                    }

                    @Override
                    public void unavailable(Throwable cause) {
                        outcomes.add("unavailable");
                    }
                };
            }
        });
        assertThat(limiter.allow("bulk", TimeUnit.MINUTE, 1, 2).block().allowed()).isFalse();
        assertThat(outcomes).containsExactly("denied");
    }

    @Test
    void aStoreThatAnswersNothingIsAnErrorNamingTheStoreAndTheKey() {
        ReactiveLimiter limiter = new ReactiveLimiter(new SilentStore());
        assertThatThrownBy(() -> limiter.allow("user-1", TimeUnit.MINUTE, 1).block())
            .hasStackTraceContaining("Rate limit store SilentStore answered nothing for key: user-1");
    }

    @Test
    void aStoreWrittenBeforeWeightedCallsServesCostOneAndRefusesMore() {
        ReactiveLimiter limiter = new ReactiveLimiter(new CostOneStore(this.store));
        assertThat(limiter.allow("user-1", List.of(Limit.of(2, TimeUnit.MINUTE)), 1).block().remaining()).isEqualTo(1);
        assertThatThrownBy(() -> limiter.allow("user-2", TimeUnit.MINUTE, 5, 2).block())
            .hasStackTraceContaining("Rate limit store CostOneStore cannot decide key: user-2 for a call of cost 2");
    }

    @Test
    void aDenialWhoseCallCannotBeTakenBackFromAnEarlierKeyIsLoggedAndStillDenied() {
        ReactiveRateLimitStore refundFails = new CostOneStore(this.store) {

            @Override
            public Mono<Void> refund(String key, LimitAttempt recorded) {
                return Mono.error(new IllegalStateException("node of '" + key + "' unreachable"));
            }
        };
        ReactiveLimiter limiter = new ReactiveLimiter(refundFails);
        limiter.allow("global", TimeUnit.MINUTE, 1).block();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            LimitResult result = limiter.allow(List.of(KeyedLimits.of("user", Limit.of(5, TimeUnit.MINUTE)),
                    KeyedLimits.of("global", Limit.of(1, TimeUnit.MINUTE)))).block();
            assertThat(result.allowed()).isFalse();
            assertThat(logs.text()).contains("Could not take back a denied call from rate limit key: user; it counts "
                    + "until it leaves the window [5 per 1m] | java.lang.IllegalStateException: node of 'user' "
                    + "unreachable");
        }
    }

    static class SilentStore implements ReactiveRateLimitStore {

        @Override
        public Mono<LimitAttempt> tryConsume(String key, List<Limit> limits) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> refund(String key, LimitAttempt recorded) {
            return Mono.empty();
        }
    }

    /** Implements only what stores implemented before weighted calls, and describes itself by default. */
    static class CostOneStore implements ReactiveRateLimitStore {

        private final ReactiveRateLimitStore delegate;

        CostOneStore(ReactiveRateLimitStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Mono<LimitAttempt> tryConsume(String key, List<Limit> limits) {
            return this.delegate.tryConsume(key, limits);
        }

        @Override
        public Mono<Void> refund(String key, LimitAttempt recorded) {
            return this.delegate.refund(key, recorded);
        }
    }
}
