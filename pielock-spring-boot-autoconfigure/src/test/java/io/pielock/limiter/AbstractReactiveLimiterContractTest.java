package io.pielock.limiter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import io.pielock.limiter.AbstractLimiterContractTest.Call;
import io.pielock.test.NonBlocking;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link ReactiveRateLimitStore} must give {@link ReactiveLimiter}, subclassed once per store
 * (memory, Redis, Redis Cluster). Subscribers run on Reactor's parallel scheduler with BlockHound installed, so a
 * blocking call anywhere on the decision's path fails the test.
 */
abstract class AbstractReactiveLimiterContractTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    protected String key;

    /** @return a reactive store as another application instance would see it */
    protected abstract ReactiveRateLimitStore newStore();

    /** @return a blocking store on the same storage as {@link #newStore()}'s */
    protected abstract RateLimitStore newBlockingStore();

    @BeforeAll
    static void installBlockHound() {
        NonBlocking.install();
    }

    @BeforeEach
    void uniqueKey() {
        this.key = "test:" + UUID.randomUUID();
    }

    protected ReactiveLimiter newProcess() {
        return new ReactiveLimiter(newStore());
    }

    /** @return the decision, made by a subscriber on a non-blocking thread */
    private static LimitResult decide(Mono<LimitResult> decision) {
        return decision.subscribeOn(Schedulers.parallel()).block(WAIT);
    }

    @Test
    void twoPerSecondAllowsTwoOfSixCallsThenAllowsAgainAfterASecond() throws Exception {
        ReactiveLimiter limiter = newProcess();
        List<Boolean> allowed = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            allowed.add(decide(limiter.allow(this.key, TimeUnit.SECOND, 2)).allowed());
        }
        assertThat(allowed).containsExactly(true, true, false, false, false, false);
        Thread.sleep(1000);
        assertThat(decide(limiter.allow(this.key, TimeUnit.SECOND, 2)).allowed()).isTrue();
    }

    @Test
    void aDenialIsAValueNamingTheKeyTheLimitAndWhenToRetry() {
        ReactiveLimiter limiter = newProcess();
        decide(limiter.allow(this.key, Duration.ofSeconds(10), 1));
        StepVerifier.create(limiter.allow(this.key, Duration.ofSeconds(10), 1).subscribeOn(Schedulers.parallel()))
            .assertNext(denied -> {
                assertThat(denied.allowed()).isFalse();
                assertThat(denied.key()).isEqualTo(this.key);
                assertThat(denied.limit()).isEqualTo(Limit.of(1, Duration.ofSeconds(10)));
                assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
            })
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void nothingIsDecidedUntilSubscribedAndEachSubscriptionDecidesOnce() {
        ReactiveLimiter limiter = newProcess();
        Mono<LimitResult> assembled = limiter.allow(this.key, TimeUnit.MINUTE, 2);
        for (int i = 0; i < 10; i++) {
            limiter.allow(this.key, TimeUnit.MINUTE, 2);
        }
        assertThat(decide(assembled).remaining()).as("ten unsubscribed calls counted nothing").isEqualTo(1);
        assertThat(decide(assembled).remaining()).as("a second subscription is a second call").isZero();
        assertThat(decide(assembled).allowed()).isFalse();
    }

    @Test
    void invalidArgumentsAreErrorSignalsNotThrownAtAssembly() {
        ReactiveLimiter limiter = newProcess();
        Mono<LimitResult> blankKey = limiter.allow(" ", TimeUnit.MINUTE, 2);
        Mono<LimitResult> noCount = limiter.allow(this.key, TimeUnit.MINUTE, 0);
        Mono<LimitResult> twice = limiter.allow(List.of(KeyedLimits.of(this.key, Limit.of(1, TimeUnit.MINUTE)),
                KeyedLimits.of(this.key, Limit.of(2, TimeUnit.HOUR))));
        for (Mono<LimitResult> invalid : List.of(blankKey, noCount, twice)) {
            StepVerifier.create(invalid).expectError(IllegalArgumentException.class).verify(WAIT);
        }
        assertThat(decide(limiter.allow(this.key, TimeUnit.MINUTE, 1)).allowed()).as("nothing was counted")
            .isTrue();
    }

    @Test
    void twoHundredConcurrentSubscribersInTwoProcessesGetExactlyCountCallsThroughOneWindow() {
        ReactiveLimiter[] processes = { newProcess(), newProcess() };
        Long allowed = Flux.range(0, 200)
            .flatMap(i -> processes[i % 2].allow(this.key, TimeUnit.MINUTE, 20)
                .subscribeOn(Schedulers.parallel()), 64)
            .filter(LimitResult::allowed)
            .count()
            .block(WAIT);
        assertThat(allowed).isEqualTo(20);
    }

    @Test
    void concurrentSubscribersAcrossSeveralWindowsNeverExceedCountInAnyWindow() {
        Limit limit = Limit.of(5, Duration.ofMillis(400));
        ReactiveLimiter[] processes = { newProcess(), newProcess() };
        List<Call> allowed = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + Duration.ofMillis(1200).toNanos();
        AtomicInteger turn = new AtomicInteger();
        // sixteen subscribers at a time, each asking again as soon as it is answered, until the time is up
        Flux.range(0, 16)
            .flatMap(subscriber -> Mono.defer(() -> {
                long sent = System.nanoTime();
                return processes[turn.incrementAndGet() % 2].allow(this.key, List.of(limit))
                    .doOnNext(result -> {
                        if (result.allowed()) {
                            allowed.add(new Call(sent, System.nanoTime()));
                        }
                    });
            }).subscribeOn(Schedulers.parallel()).repeat(() -> System.nanoTime() < end), 16)
            .blockLast(WAIT);
        AbstractLimiterContractTest.assertAtMostCountInAnyWindow(allowed, limit);
        assertThat(allowed).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void callDeniedByALaterKeyIsTakenBackFromTheEarlierKeys() {
        ReactiveLimiter limiter = newProcess();
        String user = this.key + ":user";
        String global = this.key + ":global";
        List<KeyedLimits> both = List.of(KeyedLimits.of(user, Limit.of(5, TimeUnit.MINUTE)),
                KeyedLimits.of(global, Limit.of(1, TimeUnit.MINUTE)));
        assertThat(decide(limiter.allow(both)).allowed()).isTrue();
        for (int i = 0; i < 3; i++) {
            LimitResult denied = decide(limiter.allow(both));
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.key()).isEqualTo(global);
        }
        LimitResult userOnly = decide(limiter.allow(user, TimeUnit.MINUTE, 5));
        assertThat(userOnly.remaining()).as("the denied calls were taken back from the user's limit").isEqualTo(3);
    }

    @Test
    void gcraCallDeniedByALaterKeyIsTakenBackFromTheEarlierKeys() {
        ReactiveLimiter limiter = newProcess();
        String user = this.key + ":user";
        List<KeyedLimits> both = List.of(KeyedLimits.of(user, Limit.of(5, TimeUnit.MINUTE, Algorithm.GCRA)),
                KeyedLimits.of(this.key + ":global", Limit.of(1, TimeUnit.MINUTE)));
        assertThat(decide(limiter.allow(both)).allowed()).isTrue();
        assertThat(decide(limiter.allow(both)).allowed()).isFalse();
        LimitResult userOnly = decide(limiter.allow(user, List.of(Limit.of(5, TimeUnit.MINUTE, Algorithm.GCRA))));
        assertThat(userOnly.remaining()).as("the denied call was taken back exactly").isEqualTo(3);
    }

    @Test
    void severalKeysReportTheTightestLimitWhenAllowed() {
        LimitResult result = decide(newProcess().allow(List.of(
                KeyedLimits.of(this.key + ":a", Limit.of(5, TimeUnit.MINUTE)),
                KeyedLimits.of(this.key + ":b", Limit.of(2, TimeUnit.MINUTE), Limit.of(9, TimeUnit.HOUR)))));
        assertThat(result.allowed()).isTrue();
        assertThat(result.key()).isEqualTo(this.key + ":b");
        assertThat(result.limit()).isEqualTo(Limit.of(2, TimeUnit.MINUTE));
        assertThat(result.remaining()).isEqualTo(1);
    }

    @Test
    void aReactiveAndABlockingLimiterOnOneKeyShareOneCount() {
        ReactiveLimiter reactive = newProcess();
        Limiter blocking = new Limiter(newBlockingStore());
        List<Limit> threePerMinute = List.of(Limit.of(3, TimeUnit.MINUTE));
        assertThat(blocking.allow(this.key, threePerMinute).remaining()).isEqualTo(2);
        assertThat(decide(reactive.allow(this.key, threePerMinute)).remaining()).isEqualTo(1);
        assertThat(blocking.allow(this.key, threePerMinute).remaining()).isZero();
        assertThat(decide(reactive.allow(this.key, threePerMinute)).allowed()).isFalse();
        assertThat(blocking.allow(this.key, threePerMinute).allowed()).isFalse();
    }

    @Test
    void aReactiveRefundTakesBackACallTheBlockingStoreCounted() {
        // several keys: the reactive limiter takes back what it counted on the first key, which the blocking
        // limiter then sees
        ReactiveLimiter reactive = newProcess();
        Limiter blocking = new Limiter(newBlockingStore());
        String global = this.key + ":global";
        assertThat(blocking.allow(global, TimeUnit.MINUTE, 1).allowed()).isTrue();
        LimitResult denied = decide(reactive.allow(List.of(KeyedLimits.of(this.key, Limit.of(2, TimeUnit.MINUTE)),
                KeyedLimits.of(global, Limit.of(1, TimeUnit.MINUTE)))));
        assertThat(denied.allowed()).isFalse();
        assertThat(blocking.allow(this.key, TimeUnit.MINUTE, 2).remaining()).isEqualTo(1);
    }

    @Test
    void aCostIsTakenAllOrNothingAndSharedWithTheBlockingLimiter() {
        ReactiveLimiter reactive = newProcess();
        Limiter blocking = new Limiter(newBlockingStore());
        LimitResult three = decide(reactive.allow(this.key, TimeUnit.MINUTE, 5, 3));
        assertThat(three.allowed()).isTrue();
        assertThat(three.remaining()).isEqualTo(2);
        assertThat(decide(reactive.allow(this.key, List.of(Limit.of(5, TimeUnit.MINUTE)), 3)).allowed()).isFalse();
        assertThat(blocking.allow(this.key, TimeUnit.MINUTE, 5, 2).remaining()).as("one count for both").isZero();
        LimitResult never = decide(reactive.allow(this.key + ":other", TimeUnit.MINUTE, 5, 6));
        assertThat(never.allowed()).isFalse();
        assertThat(never.message()).startsWith("Rate limit can never pass key: " + this.key + ":other (5 per 1m)");
        StepVerifier.create(reactive.allow(this.key, TimeUnit.MINUTE, 5, 0))
            .expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cost must be at least 1")
                .hasMessageContaining(this.key))
            .verify(WAIT);
    }

    @Test
    void aCostDeniedByALaterKeyIsTakenBackWholeFromTheEarlierKeys() {
        ReactiveLimiter limiter = newProcess();
        String user = this.key + ":user";
        List<KeyedLimits> both = List.of(KeyedLimits.of(user, Limit.of(9, TimeUnit.MINUTE)),
                KeyedLimits.of(this.key + ":global", Limit.of(4, TimeUnit.MINUTE, Algorithm.GCRA)));
        assertThat(decide(limiter.allow(both, "bulk", 3)).allowed()).isTrue();
        for (int i = 0; i < 2; i++) {
            assertThat(decide(limiter.allow(both, "bulk", 2)).allowed()).isFalse();
        }
        assertThat(decide(limiter.allow(user, TimeUnit.MINUTE, 9)).remaining())
            .as("each denied cost of 2 was taken back").isEqualTo(5);
    }

    @Test
    void eachKeyTakesItsOwnCostAndADenialTakesBackExactlyWhatEachTook() {
        ReactiveLimiter limiter = newProcess();
        Limiter blocking = new Limiter(newBlockingStore());
        String user = this.key + ":user";
        String global = this.key + ":global";
        List<KeyedLimits> both = List.of(KeyedLimits.of(user, Limit.of(9, TimeUnit.MINUTE)),
                KeyedLimits.of(global, Limit.of(4, TimeUnit.MINUTE)));
        assertThat(decide(limiter.allow(both, "rules", List.of(3L, 1L))).allowed()).isTrue();
        assertThat(decide(limiter.allow(both, "rules", List.of(2L, 4L))).allowed()).isFalse();
        assertThat(decide(limiter.allow(both, "rules", List.of(1L, 5L))).message()).contains("can never pass");
        assertThat(blocking.allow(user, TimeUnit.MINUTE, 9).remaining()).as("the user's 2 were taken back")
            .isEqualTo(5);
        assertThat(blocking.allow(global, TimeUnit.MINUTE, 4, 3).remaining()).isZero();
        StepVerifier.create(limiter.allow(both, "rules", List.of(1L)))
            .expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("costs must be one per key"))
            .verify(WAIT);
    }
}
