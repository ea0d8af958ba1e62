package io.pielock.limiter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntBinaryOperator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pielock.key.Keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The behaviour every {@link RateLimitStore} must give {@link Limiter}. Subclassed once per store, so the Redis
 * and memory stores pass the same specification. Each {@link #newProcess()} stands for one application
 * instance (its own limiter, and for Redis its own connections).
 */
abstract class AbstractLimiterContractTest {

    protected String key;

    /** @return a store as another application instance would see it */
    protected abstract RateLimitStore newStore();

    /**
     * @param key a rate limit's name
     * @param limit one of its limits
     * @return whether the store still keeps anything for that key and window
     */
    protected abstract boolean holdsCalls(String key, Limit limit);

    @BeforeEach
    void uniqueKey() {
        this.key = "test:" + UUID.randomUUID();
    }

    protected Limiter newProcess() {
        return new Limiter(newStore());
    }

    @Test
    void originalReadmeScenarioAllowsTwoOfSixCallsThenAllowsAgainAfterASecond() throws Exception {
        Limiter limiter = newProcess();
        String mylist = "mylist:" + this.key;
        List<LimitResult> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            results.add(limiter.allow(mylist, TimeUnit.SECOND, 2));
        }
        assertThat(results).extracting(LimitResult::allowed).containsExactly(true, true, false, false, false, false);
        assertThat(results.get(2).message()).startsWith("Rate limit exceeded key: " + mylist + " (2 per 1s)");
        Thread.sleep(1000);
        assertThat(limiter.allow(mylist, TimeUnit.SECOND, 2).allowed()).isTrue();
    }

    @Test
    void remainingCountsDownAndRetryAfterSaysWhenTheOldestCallLeavesTheWindow() {
        Limiter limiter = newProcess();
        Duration window = Duration.ofSeconds(10);
        long firstSent = System.nanoTime();
        LimitResult first = limiter.allow(this.key, window, 3);
        long firstAnswered = System.nanoTime();
        LimitResult second = limiter.allow(this.key, window, 3);
        LimitResult third = limiter.allow(this.key, window, 3);
        long deniedSent = System.nanoTime();
        LimitResult denied = limiter.allow(this.key, window, 3);
        long deniedAnswered = System.nanoTime();

        assertThat(List.of(first, second, third)).extracting(LimitResult::remaining).containsExactly(2L, 1L, 0L);
        assertThat(List.of(first, second, third)).extracting(LimitResult::retryAfter).containsOnly(Duration.ZERO);
        assertThat(first.message()).isEqualTo("Allowed key: " + this.key + " (2 of 3 per 10s left)");
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.remaining()).isZero();
        assertThat(denied.key()).isEqualTo(this.key);
        assertThat(denied.limit()).isEqualTo(Limit.of(3, window));
        // the first call was counted within [firstSent, firstAnswered], the denial within [deniedSent, deniedAnswered]
        assertThat(denied.retryAfter())
            .isGreaterThanOrEqualTo(window.minusNanos(deniedAnswered - firstSent))
            .isLessThanOrEqualTo(window.minusNanos(deniedSent - firstAnswered));
    }

    @Test
    void callsSpreadAcrossWindowBoundariesNeverExceedCountInAnySlidingWindow() throws Exception {
        // Bursts every 0.6 windows: a fixed window would let a full burst through on each side of a boundary.
        Limiter limiter = newProcess();
        Limit limit = Limit.of(4, Duration.ofMillis(500));
        List<Call> allowed = new ArrayList<>();
        for (int burst = 0; burst < 6; burst++) {
            for (int i = 0; i < 2 * limit.count(); i++) {
                long sent = System.nanoTime();
                boolean passed = limiter.allow(this.key, List.of(limit)).allowed();
                if (passed) {
                    allowed.add(new Call(sent, System.nanoTime()));
                }
            }
            Thread.sleep(300);
        }
        assertAtMostCountInAnyWindow(allowed, limit);
        assertThat(allowed).as("bursts at least a window apart pass again").hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void sixteenThreadsInTwoProcessesGetExactlyCountCallsThroughOneWindow() throws Exception {
        Limit limit = Limit.of(20, TimeUnit.MINUTE);
        List<Call> allowed = hammer(16, limit, 25, 0);
        assertThat(allowed).hasSize(20);
    }

    @Test
    void sixteenThreadsHammeringAcrossSeveralWindowsNeverExceedCountInAnyWindow() throws Exception {
        Limit limit = Limit.of(5, Duration.ofMillis(400));
        List<Call> allowed = hammer(16, limit, Integer.MAX_VALUE, 1200);
        assertAtMostCountInAnyWindow(allowed, limit);
        assertThat(allowed).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void aWindowHasRoomAgainExactlyWhenRetryAfterSays() throws Exception {
        Limiter limiter = newProcess();
        Limit limit = Limit.of(3, Duration.ofMillis(400));
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.allow(this.key, List.of(limit)).allowed()).isTrue();
        }
        long deniedSent = System.nanoTime();
        LimitResult denied = limiter.allow(this.key, List.of(limit));
        long deniedAnswered = System.nanoTime();
        assertThat(denied.allowed()).isFalse();
        LimitResult again = limiter.allow(this.key, List.of(limit));
        if (System.nanoTime() - deniedSent < denied.retryAfter().toNanos()) {
            assertThat(again.allowed()).as("asked and answered before retry-after had passed").isFalse();
        }
        Thread.sleep(Duration.ofNanos(deniedAnswered + denied.retryAfter().toNanos() - System.nanoTime())
            .plusMillis(1).toMillis());
        assertThat(limiter.allow(this.key, List.of(limit)).allowed()).as("asked after retry-after").isTrue();
    }

    @Test
    void aThousandPerMinuteAdmitsExactlyAThousandCountingDown() {
        Limiter limiter = newProcess();
        List<Long> remaining = new ArrayList<>();
        int denied = 0;
        for (int i = 0; i < 1100; i++) {
            LimitResult result = limiter.allow(this.key, TimeUnit.MINUTE, 1000);
            if (result.allowed()) {
                remaining.add(result.remaining());
            }
            else {
                denied++;
            }
        }
        assertThat(remaining).hasSize(1000);
        assertThat(remaining.get(0)).isEqualTo(999);
        assertThat(remaining.get(500)).isEqualTo(499);
        assertThat(remaining.get(999)).isZero();
        assertThat(denied).isEqualTo(100);
    }

    @Test
    void remainingCountsTheCallsStillInsideTheWindowAsOthersLeaveIt() throws Exception {
        // bursts into a window of 300 calls, so that many calls leave it between two calls
        Limiter limiter = newProcess();
        Limit limit = Limit.of(300, Duration.ofMillis(400));
        List<Call> allowed = new ArrayList<>();
        for (int burst = 0; burst < 8; burst++) {
            for (int i = 0; i < 100; i++) {
                long sent = System.nanoTime();
                LimitResult result = limiter.allow(this.key, List.of(limit));
                long answered = System.nanoTime();
                if (!result.allowed()) {
                    continue;
                }
                // each earlier call was decided within [sent, answered] of its own
                long window = limit.window().toNanos();
                long surelyInside = allowed.stream().filter(call -> call.sent() > answered - window).count();
                long perhapsInside = allowed.stream().filter(call -> call.answered() > sent - window).count();
                assertThat(limit.count() - 1 - result.remaining()).as("other calls inside the window")
                    .isBetween(surelyInside, perhapsInside);
                allowed.add(new Call(sent, answered));
            }
            Thread.sleep(150);
        }
        assertThat(allowed).hasSizeGreaterThan(300);
    }

    @Test
    void limitsWithDifferentCountsOnOneKeyAndWindowCountTheSameCalls() {
        // two instances mid-deployment, one still with the old count: each admits while fewer than its count
        // calls are inside the window
        Limiter three = newProcess();
        Limiter five = newProcess();
        for (int i = 0; i < 3; i++) {
            assertThat(three.allow(this.key, TimeUnit.MINUTE, 3).allowed()).isTrue();
        }
        assertThat(three.allow(this.key, TimeUnit.MINUTE, 3).allowed()).isFalse();
        assertThat(five.allow(this.key, TimeUnit.MINUTE, 5).remaining()).isEqualTo(1);
        assertThat(five.allow(this.key, TimeUnit.MINUTE, 5).remaining()).isZero();
        assertThat(five.allow(this.key, TimeUnit.MINUTE, 5).allowed()).isFalse();
        assertThat(three.allow(this.key, TimeUnit.MINUTE, 3).allowed()).isFalse();
    }

    @Test
    void aLimitDecidedAloneOrBesideOthersCountsTheSameCalls() {
        // one instance checks the key against one limit, another against that limit and a second one (the Redis
        // store decides the two cases with different scripts): both count every call, for each algorithm
        RateLimitStore alone = newStore();
        RateLimitStore beside = newStore();
        for (Algorithm algorithm : Algorithm.values()) {
            String key = this.key + ":" + algorithm;
            Limit fivePerMinute = Limit.of(5, TimeUnit.MINUTE, algorithm);
            Limit wide = Limit.of(1000, TimeUnit.HOUR);
            List<Long> remaining = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                LimitAttempt attempt = (i % 2 == 0) ? alone.tryConsume(key, List.of(fivePerMinute))
                        : beside.tryConsume(key, List.of(wide, fivePerMinute));
                remaining.add(attempt.allowed() ? attempt.windows().get(i % 2).remaining() : -1L);
            }
            assertThat(remaining).as(algorithm + ": remaining after each call, -1 once denied")
                .containsExactly(4L, 3L, 2L, 1L, 0L, -1L);
        }
    }

    @Test
    void aCallTakenBackAfterLaterCallsLeavesExactlyTheOthersCounted() {
        RateLimitStore store = newStore();
        List<Limit> fivePerMinute = List.of(Limit.of(5, TimeUnit.MINUTE));
        LimitAttempt first = store.tryConsume(this.key, fivePerMinute);
        LimitAttempt second = store.tryConsume(this.key, fivePerMinute);
        store.tryConsume(this.key, fivePerMinute);
        store.refund(this.key, second);
        store.refund(this.key, first);
        List<Long> remaining = new ArrayList<>();
        LimitAttempt attempt;
        while ((attempt = store.tryConsume(this.key, fivePerMinute)).allowed()) {
            remaining.add(attempt.windows().get(0).remaining());
        }
        assertThat(remaining).as("one call left counted, four admitted").containsExactly(3L, 2L, 1L, 0L);
    }

    @Test
    void callDeniedByOneLimitOfAKeyIsCountedByNoneOfItsLimits() {
        Limiter limiter = newProcess();
        Limit onePerMinute = Limit.of(1, TimeUnit.MINUTE);
        Limit threePerHour = Limit.of(3, TimeUnit.HOUR);
        assertThat(limiter.allow(this.key, List.of(onePerMinute, threePerHour)).allowed()).isTrue();
        for (int i = 0; i < 5; i++) {
            LimitResult denied = limiter.allow(this.key, List.of(onePerMinute, threePerHour));
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.limit()).isEqualTo(onePerMinute);
        }
        LimitResult hourly = limiter.allow(this.key, List.of(threePerHour));
        assertThat(hourly.allowed()).isTrue();
        assertThat(hourly.remaining()).as("only the allowed calls were counted per hour").isEqualTo(1);
    }

    @Test
    void callDeniedByALaterKeyIsTakenBackFromTheEarlierKeys() {
        Limiter limiter = newProcess();
        String user = this.key + ":user";
        String global = this.key + ":global";
        List<KeyedLimits> both = List.of(KeyedLimits.of(user, Limit.of(5, TimeUnit.MINUTE)),
                KeyedLimits.of(global, Limit.of(1, TimeUnit.MINUTE)));
        assertThat(limiter.allow(both).allowed()).isTrue();
        for (int i = 0; i < 3; i++) {
            LimitResult denied = limiter.allow(both);
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.key()).isEqualTo(global);
        }
        LimitResult userOnly = limiter.allow(user, TimeUnit.MINUTE, 5);
        assertThat(userOnly.remaining()).as("the denied calls were taken back from the user's limit").isEqualTo(3);
    }

    @Test
    void severalKeysReportTheTightestLimitWhenAllowed() {
        Limiter limiter = newProcess();
        LimitResult result = limiter.allow(List.of(KeyedLimits.of(this.key + ":a", Limit.of(5, TimeUnit.MINUTE)),
                KeyedLimits.of(this.key + ":b", Limit.of(2, TimeUnit.MINUTE), Limit.of(9, TimeUnit.HOUR))));
        assertThat(result.allowed()).isTrue();
        assertThat(result.key()).isEqualTo(this.key + ":b");
        assertThat(result.limit()).isEqualTo(Limit.of(2, TimeUnit.MINUTE));
        assertThat(result.remaining()).isEqualTo(1);
    }

    @Test
    void limitsWithDifferentWindowsOnOneKeyCountSeparately() {
        Limiter limiter = newProcess();
        assertThat(limiter.allow(this.key, TimeUnit.MINUTE, 1).allowed()).isTrue();
        assertThat(limiter.allow(this.key, TimeUnit.HOUR, 1).allowed()).isTrue();
        assertThat(limiter.allow(this.key, TimeUnit.MINUTE, 1).allowed()).isFalse();
    }

    @Test
    void aKeyIsForgottenOnceItsWindowHasPassedWithoutCalls() throws Exception {
        Limiter limiter = newProcess();
        // a window long enough that a busy machine still finds the call held just after making it
        Limit limit = Limit.of(2, Duration.ofSeconds(2));
        assertThat(holdsCalls(this.key, limit)).as("nothing before the first call").isFalse();
        limiter.allow(this.key, List.of(limit));
        assertThat(holdsCalls(this.key, limit)).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (holdsCalls(this.key, limit) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(holdsCalls(this.key, limit)).as("forgotten well under 20 s after a 2 s window").isFalse();
    }

    @Test
    void gcraAdmitsABurstOfCountFromRestThenOneCallPerInterval() throws Exception {
        Limiter limiter = newProcess();
        Limit limit = Limit.of(5, Duration.ofSeconds(1), Algorithm.GCRA);
        Duration interval = Duration.ofMillis(200);
        long burstSent = System.nanoTime();
        List<Long> remaining = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            LimitResult result = limiter.allow(this.key, List.of(limit));
            assertThat(result.allowed()).isTrue();
            remaining.add(result.remaining());
        }
        assertThat(remaining).containsExactly(4L, 3L, 2L, 1L, 0L);
        LimitResult denied = limiter.allow(this.key, List.of(limit));
        long deniedAnswered = System.nanoTime();
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.message()).startsWith("Rate limit exceeded key: " + this.key + " (5 per 1s, GCRA)");
        assertThat(denied.retryAfter()).as("one interval after the burst").isPositive()
            .isLessThanOrEqualTo(interval);

        Thread.sleep(Duration.ofNanos(deniedAnswered + denied.retryAfter().toNanos() - System.nanoTime())
            .plusMillis(1).toMillis());
        assertThat(limiter.allow(this.key, List.of(limit)).allowed()).as("one call per interval").isTrue();
        LimitResult next = limiter.allow(this.key, List.of(limit));
        if (System.nanoTime() - burstSent < 2 * interval.toNanos()) {
            assertThat(next.allowed()).as("the next interval has not passed").isFalse();
        }
    }

    @Test
    void gcraNeverAllowsMoreThanCountPlusOnePerIntervalInAnySpanOfTime() throws Exception {
        // the bound Algorithm.GCRA documents: count + floor(span / interval), so at most 2 x count - 1 in a window
        Limit limit = Limit.of(4, Duration.ofMillis(400), Algorithm.GCRA);
        long interval = Duration.ofMillis(100).toNanos();
        List<Call> allowed = hammer(16, limit, Integer.MAX_VALUE, 1200);
        List<Call> bySent = new ArrayList<>(allowed);
        bySent.sort(Comparator.comparingLong(Call::sent));
        for (int first = 0; first < bySent.size(); first++) {
            long lastAnswered = 0;
            for (int last = first; last < bySent.size(); last++) {
                // every call from first to last was decided between first's sending and the latest answer
                lastAnswered = Math.max(lastAnswered, bySent.get(last).answered());
                long span = lastAnswered - bySent.get(first).sent();
                assertThat(last - first + 1L).as("calls allowed within %s", Duration.ofNanos(span))
                    .isLessThanOrEqualTo(limit.count() + span / interval);
            }
        }
        assertThat(allowed).as("a burst, then refills").hasSizeGreaterThan(4);
    }

    @Test
    void gcraCallDeniedByALaterKeyIsTakenBackFromTheEarlierKeys() {
        Limiter limiter = newProcess();
        String user = this.key + ":user";
        String global = this.key + ":global";
        Limit userLimit = Limit.of(5, TimeUnit.MINUTE, Algorithm.GCRA);
        List<KeyedLimits> both = List.of(KeyedLimits.of(user, userLimit),
                KeyedLimits.of(global, Limit.of(1, TimeUnit.MINUTE, Algorithm.GCRA)));
        assertThat(limiter.allow(both).allowed()).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.allow(both).allowed()).isFalse();
        }
        LimitResult userOnly = limiter.allow(user, List.of(userLimit));
        assertThat(userOnly.remaining()).as("the denied calls were taken back from the user's limit").isEqualTo(3);
    }

    @Test
    void gcraGivesACallBackAfterLaterCallsWhenNoneOfThemCanHaveDependedOnIt() {
        // 3 a minute: one call per 20 s, a burst of 3. The taken-back call was made while the key was already
        // 20 s ahead, so the calls after it were decided on a time it had pushed, and giving it back is exact.
        RateLimitStore store = newStore();
        List<Limit> threePerMinute = List.of(Limit.of(3, TimeUnit.MINUTE, Algorithm.GCRA));
        store.tryConsume(this.key, threePerMinute);
        LimitAttempt second = store.tryConsume(this.key, threePerMinute);
        assertThat(store.tryConsume(this.key, threePerMinute).allowed()).isTrue();
        store.refund(this.key, second);
        LimitAttempt again = store.tryConsume(this.key, threePerMinute);
        assertThat(again.allowed()).isTrue();
        assertThat(store.tryConsume(this.key, threePerMinute).allowed()).isFalse();
    }

    @Test
    void gcraKeepsACallCountedWhenItCannotTellThatGivingItBackIsExact() {
        // 2 a minute: the taken-back call was the first from rest, and another came after it. Where the key would
        // stand without it depends on when that other call came, which one number does not tell: taking a whole
        // interval back could admit more than the bound allows, so the call stays counted
        RateLimitStore store = newStore();
        List<Limit> twoPerMinute = List.of(Limit.of(2, TimeUnit.MINUTE, Algorithm.GCRA));
        LimitAttempt first = store.tryConsume(this.key, twoPerMinute);
        assertThat(store.tryConsume(this.key, twoPerMinute).allowed()).isTrue();
        store.refund(this.key, first);
        assertThat(store.tryConsume(this.key, twoPerMinute).allowed()).as("the error is towards denying").isFalse();
    }

    @Test
    void aKeyMayMixAlgorithmsAndACallDeniedByOneIsCountedByNone() {
        Limiter limiter = newProcess();
        Limit twoPerMinute = Limit.of(2, TimeUnit.MINUTE);
        Limit threePerHour = Limit.of(3, TimeUnit.HOUR, Algorithm.GCRA);
        assertThat(limiter.allow(this.key, List.of(twoPerMinute, threePerHour)).remaining()).isEqualTo(1);
        assertThat(limiter.allow(this.key, List.of(twoPerMinute, threePerHour)).remaining()).isZero();
        LimitResult denied = limiter.allow(this.key, List.of(twoPerMinute, threePerHour));
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.limit()).isEqualTo(twoPerMinute);
        assertThat(limiter.allow(this.key, List.of(threePerHour)).remaining()).as("GCRA counted two calls").isZero();
    }

    @Test
    void gcraTakesCountsBeyondWhatASlidingWindowMayKeep() {
        Limiter limiter = newProcess();
        LimitResult first = limiter.allow(this.key, List.of(Limit.of(5_000_000, TimeUnit.MONTH, Algorithm.GCRA)));
        assertThat(first.remaining()).isEqualTo(4_999_999);
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(this.key, TimeUnit.MONTH, 5_000_000))
            .withMessage("Rate limit count of a sliding window must be at most 1000000 (a store keeps one "
                    + "timestamp per call in the window), but was 5000000 per 30d; Algorithm.GCRA keeps one "
                    + "number per key, for any count");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Limit.of(1001, Duration.ofMillis(1), Algorithm.GCRA))
            .withMessage("Rate limit count of GCRA must be at most one per microsecond of the window (1000 per "
                    + "1ms), but was 1001");
    }

    @Test
    void aGcraKeyIsForgottenOnceItHasRefilled() throws Exception {
        Limiter limiter = newProcess();
        Limit limit = Limit.of(3, Duration.ofMillis(300), Algorithm.GCRA);
        assertThat(holdsCalls(this.key, limit)).as("nothing before the first call").isFalse();
        limiter.allow(this.key, List.of(limit));
        limiter.allow(this.key, List.of(limit));
        assertThat(holdsCalls(this.key, limit)).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (holdsCalls(this.key, limit) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(holdsCalls(this.key, limit)).as("forgotten well under 10 s after 200 ms of refill").isFalse();
    }

    @Test
    void whenOnlyALaterLongerWindowDeniesRetryAfterIsThatWindowsRemainingTime() throws Exception {
        Limiter limiter = newProcess();
        List<Limit> limits = List.of(Limit.of(2, TimeUnit.SECOND), Limit.of(3, Duration.ofSeconds(10)));
        assertThat(limiter.allow(this.key, limits).allowed()).isTrue();
        assertThat(limiter.allow(this.key, limits).allowed()).isTrue();
        Thread.sleep(1100); // the second is empty again; the 10 s window still holds both calls
        assertThat(limiter.allow(this.key, limits).allowed()).isTrue();
        LimitResult denied = limiter.allow(this.key, limits);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.limit()).isEqualTo(Limit.of(3, Duration.ofSeconds(10)));
        assertThat(denied.retryAfter()).as("until the first call leaves the 10 s window, about 8.9 s")
            .isGreaterThan(Duration.ofSeconds(1)).isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(denied.message()).contains("(3 per 10s)");
    }

    @Test
    void whenSeveralWindowsAreFullTheOneFullLongestIsReported() {
        for (List<Limit> limits : List.of(List.of(Limit.of(1, TimeUnit.SECOND), Limit.of(1, Duration.ofSeconds(10))),
                List.of(Limit.of(1, Duration.ofSeconds(10)), Limit.of(1, TimeUnit.SECOND)))) {
            Limiter limiter = newProcess();
            String key = this.key + ":" + limits.get(0).window().toMillis();
            assertThat(limiter.allow(key, limits).allowed()).isTrue();
            LimitResult denied = limiter.allow(key, limits);
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.limit()).as("denied by both: the 10 s window frees up last")
                .isEqualTo(Limit.of(1, Duration.ofSeconds(10)));
            assertThat(denied.retryAfter()).isGreaterThan(Duration.ofSeconds(1))
                .isLessThanOrEqualTo(Duration.ofSeconds(10));
        }
    }

    @Test
    void aOneMillisecondWindowAdmitsItsCountAndThenAgainAMillisecondLater() throws Exception {
        Limiter limiter = newProcess();
        Duration window = Duration.ofMillis(1);
        LimitResult denied = null;
        // a second call may land a millisecond later on a busy machine; one of many lands within it
        for (int i = 0; i < 200 && denied == null; i++) {
            Thread.sleep(3);
            assertThat(limiter.allow(this.key, window, 1).allowed()).as("admitted, 3 ms after the last call").isTrue();
            LimitResult next = limiter.allow(this.key, window, 1);
            denied = next.allowed() ? null : next;
        }
        assertThat(denied).as("a second call within the millisecond was denied").isNotNull();
        assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(window);
        assertThat(denied.message()).contains("(1 per 1ms)");
    }

    @Test
    void aKeyOfOneCharacterMoreThanTheMaximumIsRejected() {
        Limiter limiter = newProcess();
        String tooLong = this.key + "x".repeat(Keys.MAX_LENGTH + 1 - this.key.length());
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(tooLong, TimeUnit.MINUTE, 1))
            .withMessageStartingWith("Rate limit key must be at most 1024 characters")
            .withMessageContaining("has 1025");
    }

    @Test
    void aLoneBraceIsAKeyLikeAnyOther() throws Exception {
        Limiter limiter = newProcess();
        Duration window = Duration.ofMillis(300);
        for (String brace : List.of("{", "}")) {
            // the key is shared with earlier runs against the same store: wait for its window to be empty
            long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!limiter.allow(brace, window, 1).allowed()) {
                assertThat(System.nanoTime()).as("%s admits a call again", brace).isLessThan(giveUp);
                Thread.sleep(20);
            }
            LimitResult denied = limiter.allow(brace, window, 1);
            assertThat(denied.allowed()).as(brace).isFalse();
            assertThat(denied.message()).startsWith("Rate limit exceeded key: " + brace + " (1 per 300ms)");
        }
    }

    @Test
    void nullOrBlankKeysAreRejected() {
        Limiter limiter = newProcess();
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(null, TimeUnit.SECOND, 2))
            .withMessage("Rate limit key must not be null or blank, but was null");
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(" ", TimeUnit.SECOND, 2))
            .withMessage("Rate limit key must not be null or blank, but was ' '");
    }

    @Test
    void keysUpToTheMaximumLengthCountAndLongerOnesAreRejected() {
        Limiter limiter = newProcess();
        String longest = this.key + "x".repeat(Keys.MAX_LENGTH - this.key.length());
        assertThat(limiter.allow(longest, TimeUnit.MINUTE, 1).allowed()).isTrue();
        assertThat(limiter.allow(longest, TimeUnit.MINUTE, 1).allowed()).isFalse();

        String tenKilobytes = "document:" + "x".repeat(10 * 1024);
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(tenKilobytes, TimeUnit.MINUTE, 1))
            .withMessageStartingWith("Rate limit key must be at most 1024 characters, but 'document:xxx")
            .withMessageContaining("has 10249");
    }

    @Test
    void countsBelowOneAreRejected() {
        Limiter limiter = newProcess();
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(this.key, TimeUnit.SECOND, 0))
            .withMessage("Rate limit count must be at least 1, but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(this.key, Duration.ofSeconds(1), -3))
            .withMessageContaining("-3");
    }

    @Test
    void windowsUnderOneMillisecondOrWithFractionsOfOneAreRejected() {
        Limiter limiter = newProcess();
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(this.key, Duration.ZERO, 2))
            .withMessage("Rate limit window must be at least 1ms, but was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(this.key, Duration.ofNanos(999_999), 2))
            .withMessageContaining("at least 1ms");
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(this.key, Duration.ofSeconds(-1), 2))
            .withMessageContaining("at least 1ms");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> limiter.allow(this.key, Duration.ofMillis(1500).plusNanos(1), 2))
            .withMessageContaining("whole number of milliseconds");
    }

    @Test
    void missingOrAmbiguousLimitsAreRejected() {
        Limiter limiter = newProcess();
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(this.key, List.of()))
            .withMessage("Rate limit key: " + this.key + " needs at least one limit");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> limiter.allow(this.key,
                    List.of(Limit.of(2, TimeUnit.SECOND), Limit.of(5, TimeUnit.SECOND))))
            .withMessageContaining("two limits per 1s");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> limiter.allow(List.of(KeyedLimits.of(this.key, Limit.of(2, TimeUnit.SECOND)),
                    KeyedLimits.of(this.key, Limit.of(5, TimeUnit.MINUTE)))))
            .withMessageContaining("is given twice");
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(List.of()));
    }

    // Weighted calls: a call of cost c is c calls at once, all or nothing

    @Test
    void aCallTakesItsCostFromTheCountAllOrNothing() {
        Limiter limiter = newProcess();
        LimitResult three = limiter.allow(this.key, TimeUnit.MINUTE, 5, 3);
        assertThat(three.allowed()).isTrue();
        assertThat(three.remaining()).isEqualTo(2);
        assertThat(three.message()).isEqualTo("Allowed key: " + this.key + " (2 of 5 per 1m left)");
        LimitResult tooMany = limiter.allow(this.key, TimeUnit.MINUTE, 5, 3);
        assertThat(tooMany.allowed()).as("3 do not fit in the 2 left").isFalse();
        assertThat(tooMany.message()).startsWith("Rate limit exceeded key: " + this.key + " (5 per 1m); retry after");
        assertThat(tooMany.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
        LimitResult two = limiter.allow(this.key, TimeUnit.MINUTE, 5, 2);
        assertThat(two.allowed()).as("the denied call took nothing").isTrue();
        assertThat(two.remaining()).isZero();
        assertThat(limiter.allow(this.key, TimeUnit.MINUTE, 5).allowed()).isFalse();
    }

    @Test
    void costsFillALargeWindowExactlyAsThatManyCallsWould() {
        // rings grow, doubling, while a call of cost 37 is recorded: the count is reached exactly, never passed
        Limiter limiter = newProcess();
        List<Limit> hundred = List.of(Limit.of(100, TimeUnit.HOUR));
        assertThat(limiter.allow(this.key, hundred, 37).remaining()).isEqualTo(63);
        assertThat(limiter.allow(this.key, hundred, 37).remaining()).isEqualTo(26);
        assertThat(limiter.allow(this.key, hundred, 27).allowed()).isFalse();
        assertThat(limiter.allow(this.key, hundred, 25).remaining()).isEqualTo(1);
        assertThat(limiter.allow(this.key, hundred, 2).allowed()).isFalse();
        assertThat(limiter.allow(this.key, hundred).remaining()).isZero();
        assertThat(limiter.allow(this.key, hundred).allowed()).isFalse();
    }

    @Test
    void aCostIsTakenFromEveryLimitOfAKeyOrFromNone() {
        // several limits of one key: decided by the multi-limit script (Redis) in one step
        Limiter limiter = newProcess();
        List<Limit> minuteAndHour = List.of(Limit.of(5, TimeUnit.MINUTE), Limit.of(10, TimeUnit.HOUR));
        LimitResult three = limiter.allow(this.key, minuteAndHour, 3);
        assertThat(three.remaining()).isEqualTo(2);
        assertThat(three.limit()).isEqualTo(Limit.of(5, TimeUnit.MINUTE));
        LimitResult denied = limiter.allow(this.key, minuteAndHour, 3);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.limit()).isEqualTo(Limit.of(5, TimeUnit.MINUTE));
        assertThat(limiter.allow(this.key, List.of(Limit.of(10, TimeUnit.HOUR)), 1).remaining())
            .as("the hour counted the allowed 3, not the denied 3").isEqualTo(6);
    }

    @Test
    void aCostAboveTheCountIsDeniedAsNeverPassingWithoutAskingTheStore() {
        AtomicInteger asked = new AtomicInteger();
        RateLimitStore store = newStore();
        Limiter limiter = new Limiter(new RateLimitStore() {
            @Override
            public LimitAttempt tryConsume(String key, List<Limit> limits) {
                return tryConsume(key, limits, 1);
            }

            @Override
            public LimitAttempt tryConsume(String key, List<Limit> limits, long cost) {
                asked.incrementAndGet();
                return store.tryConsume(key, limits, cost);
            }

            @Override
            public void refund(String key, LimitAttempt recorded) {
                store.refund(key, recorded);
            }
        });
        LimitResult never = limiter.allow(this.key, TimeUnit.MINUTE, 2, 3);
        assertThat(never.allowed()).isFalse();
        assertThat(never.key()).isEqualTo(this.key);
        assertThat(never.limit()).isEqualTo(Limit.of(2, TimeUnit.MINUTE));
        assertThat(never.message()).isEqualTo("Rate limit can never pass key: " + this.key + " (2 per 1m): the call "
                + "costs 3, more than the limit's count of 2; retrying will not help");
        assertThat(asked).hasValue(0);
        LimitResult oneOfTwo = limiter.allow(List.of(KeyedLimits.of(this.key, Limit.of(9, TimeUnit.MINUTE)),
                KeyedLimits.of(this.key + ":global", Limit.of(2, TimeUnit.HOUR))), "bulk", 3);
        assertThat(oneOfTwo.message()).startsWith("Rate limit can never pass key: " + this.key + ":global (2 per 1h)");
        assertThat(asked).as("not even the first key's store").hasValue(0);
        assertThat(limiter.allow(this.key, TimeUnit.MINUTE, 2, 2).allowed()).as("nothing was counted").isTrue();
    }

    @Test
    void costsUnderOneAreRejectedNamingTheKey() {
        Limiter limiter = newProcess();
        for (long cost : new long[] { 0, -1, Long.MIN_VALUE }) {
            assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(this.key, TimeUnit.MINUTE, 5, cost))
                .withMessage("Rate limit cost must be at least 1, but was " + cost + " for key: " + this.key + " ("
                        + Limiter.PROGRAMMATIC + ")");
            assertThatIllegalArgumentException()
                .isThrownBy(() -> limiter.allow(this.key, List.of(Limit.of(5, TimeUnit.MINUTE)), cost))
                .withMessageContaining("cost must be at least 1");
        }
        assertThat(limiter.allow(this.key, TimeUnit.MINUTE, 5).remaining()).as("nothing counted").isEqualTo(4);
    }

    @Test
    void sixteenThreadsWithMixedCostsTakeExactlyTheCountOfOneWindow() throws Exception {
        Limit limit = Limit.of(20, TimeUnit.MINUTE);
        List<Call> permits = hammer(16, limit, 25, 0, (thread, call) -> 1 + (thread + call) % 3);
        assertThat(permits.size()).as("permits taken by the weighted calls").isLessThanOrEqualTo(20);
        // whatever the weighted calls left is still there, one by one: no permit lost, none given twice
        Limiter limiter = newProcess();
        int rest = 0;
        while (limiter.allow(this.key, List.of(limit)).allowed()) {
            rest++;
        }
        assertThat(permits.size() + rest).isEqualTo(20);
    }

    @Test
    void sixteenThreadsWithMixedCostsAcrossSeveralWindowsNeverExceedCountInAnyWindow() throws Exception {
        Limit limit = Limit.of(6, Duration.ofMillis(400));
        List<Call> permits = hammer(16, limit, Integer.MAX_VALUE, 1200, (thread, call) -> 1 + (thread + call) % 3);
        assertAtMostCountInAnyWindow(permits, limit);
        assertThat(permits).as("windows refill").hasSizeGreaterThanOrEqualTo(12);
    }

    @Test
    void aCostDeniedByALaterKeyIsTakenBackWholeFromTheEarlierKeys() {
        Limiter limiter = newProcess();
        String user = this.key + ":user";
        String global = this.key + ":global";
        List<KeyedLimits> both = List.of(KeyedLimits.of(user, Limit.of(9, TimeUnit.MINUTE)),
                KeyedLimits.of(global, Limit.of(4, TimeUnit.MINUTE)));
        assertThat(limiter.allow(both, "bulk", 3).allowed()).isTrue();
        for (int i = 0; i < 3; i++) {
            LimitResult denied = limiter.allow(both, "bulk", 2);
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.key()).isEqualTo(global);
        }
        assertThat(limiter.allow(user, TimeUnit.MINUTE, 9).remaining())
            .as("each denied cost of 2 was taken back from the user's limit").isEqualTo(5);
    }

    @Test
    void aCostTakenBackAfterLaterCallsLeavesExactlyTheOthersCounted() {
        RateLimitStore store = newStore();
        List<Limit> fivePerMinute = List.of(Limit.of(5, TimeUnit.MINUTE));
        LimitAttempt first = store.tryConsume(this.key, fivePerMinute, 2);
        assertThat(first.cost()).isEqualTo(2);
        assertThat(first.windows().get(0).remaining()).isEqualTo(3);
        assertThat(store.tryConsume(this.key, fivePerMinute, 2).windows().get(0).remaining()).isEqualTo(1);
        store.refund(this.key, first);
        assertThat(store.tryConsume(this.key, fivePerMinute, 3).windows().get(0).remaining())
            .as("the 2 taken back, the later 2 still counted").isZero();
        assertThat(store.tryConsume(this.key, fivePerMinute).allowed()).isFalse();
    }

    @Test
    void gcraTakesACostAsThatManyCallsAtOnce() {
        // 5 per 10 s: one call per 2 s, a burst of 5
        Limiter limiter = newProcess();
        List<Limit> gcra = List.of(Limit.of(5, Duration.ofSeconds(10), Algorithm.GCRA));
        LimitResult three = limiter.allow(this.key, gcra, 3);
        assertThat(three.allowed()).isTrue();
        assertThat(three.remaining()).isEqualTo(2);
        LimitResult denied = limiter.allow(this.key, gcra, 3);
        assertThat(denied.allowed()).as("3 more would exceed the burst").isFalse();
        assertThat(denied.retryAfter()).as("until one interval has refilled").isPositive()
            .isLessThanOrEqualTo(Duration.ofSeconds(2));
        LimitResult two = limiter.allow(this.key, gcra, 2);
        assertThat(two.allowed()).isTrue();
        assertThat(two.remaining()).isZero();
        assertThat(limiter.allow(this.key, gcra).allowed()).isFalse();
        assertThat(limiter.allow(this.key + ":full", gcra, 5).remaining()).as("a whole burst from rest").isZero();
        assertThat(limiter.allow(this.key + ":over", gcra, 6).message()).contains("can never pass");
    }

    @Test
    void gcraTakesACostBackWholeWhenALaterKeyDenies() {
        Limiter limiter = newProcess();
        String user = this.key + ":user";
        Limit userLimit = Limit.of(6, TimeUnit.MINUTE, Algorithm.GCRA);
        List<KeyedLimits> both = List.of(KeyedLimits.of(user, userLimit),
                KeyedLimits.of(this.key + ":global", Limit.of(2, TimeUnit.MINUTE, Algorithm.GCRA)));
        assertThat(limiter.allow(both, "bulk", 2).allowed()).isTrue();
        for (int i = 0; i < 2; i++) {
            assertThat(limiter.allow(both, "bulk", 2).allowed()).isFalse();
        }
        assertThat(limiter.allow(user, List.of(userLimit)).remaining())
            .as("the denied costs were taken back from the user's limit").isEqualTo(3);
    }

    @Test
    void eachKeyTakesItsOwnCostAndADenialTakesBackExactlyWhatEachTook() {
        Limiter limiter = newProcess();
        String user = this.key + ":user";
        String global = this.key + ":global";
        List<KeyedLimits> both = List.of(KeyedLimits.of(user, Limit.of(9, TimeUnit.MINUTE)),
                KeyedLimits.of(global, Limit.of(4, TimeUnit.MINUTE)));
        LimitResult allowed = limiter.allow(both, "rules", List.of(3L, 1L));
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.key()).as("the tightest window").isEqualTo(global);
        assertThat(allowed.remaining()).isEqualTo(3);
        LimitResult denied = limiter.allow(both, "rules", List.of(2L, 4L));
        assertThat(denied.allowed()).as("the global key has 3 left, not 4").isFalse();
        assertThat(denied.key()).isEqualTo(global);
        assertThat(limiter.allow(user, TimeUnit.MINUTE, 9).remaining()).as("the user's 2 were taken back")
            .isEqualTo(5);
        assertThat(limiter.allow(global, TimeUnit.MINUTE, 4, 3).remaining()).as("the global key's 1 stands")
            .isZero();
    }

    @Test
    void aKeysCostAboveItsCountNeverPassesAndNothingIsCounted() {
        Limiter limiter = newProcess();
        String user = this.key + ":user";
        List<KeyedLimits> both = List.of(KeyedLimits.of(user, Limit.of(9, TimeUnit.MINUTE)),
                KeyedLimits.of(this.key + ":global", Limit.of(4, TimeUnit.MINUTE)));
        LimitResult never = limiter.allow(both, "rules", List.of(1L, 5L));
        assertThat(never.allowed()).isFalse();
        assertThat(never.message()).startsWith("Rate limit can never pass key: " + this.key + ":global (4 per 1m)")
            .contains("the call costs 5");
        assertThat(limiter.allow(user, TimeUnit.MINUTE, 9).remaining()).isEqualTo(8);
    }

    @Test
    void perKeyCostsAreOnePerKeyEachAtLeastOne() {
        Limiter limiter = newProcess();
        List<KeyedLimits> both = List.of(KeyedLimits.of(this.key + ":a", Limit.of(9, TimeUnit.MINUTE)),
                KeyedLimits.of(this.key + ":b", Limit.of(4, TimeUnit.MINUTE)));
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(both, "rules", List.of(1L)))
            .withMessageContaining("costs must be one per key").withMessageContaining(this.key + ":a");
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(both, "rules", List.of(1L, 0L)))
            .withMessage("Rate limit cost must be at least 1, but was 0 for key: " + this.key + ":b (rules)");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> limiter.allow(both, "rules", java.util.Arrays.asList(null, 1L)))
            .withMessageContaining("but was null for key: " + this.key + ":a");
        assertThatIllegalArgumentException().isThrownBy(() -> limiter.allow(both, "rules", (List<Long>) null))
            .withMessageContaining("costs must be one per key");
    }

    /** Runs {@code threads} callers in two processes, each making {@code calls} calls or calling for {@code millis}. */
    private List<Call> hammer(int threads, Limit limit, int calls, long millis) throws Exception {
        return hammer(threads, limit, calls, millis, (thread, call) -> 1);
    }

    /**
     * As {@link #hammer(int, Limit, int, long)}, each call costing {@code cost.applyAsInt(thread, call)}.
     * @return one {@link Call} per permit taken: an allowed call of cost c is c calls decided at one instant
     */
    private List<Call> hammer(int threads, Limit limit, int calls, long millis, IntBinaryOperator cost)
            throws Exception {
        Limiter[] processes = { newProcess(), newProcess() };
        List<Call> allowed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Limiter limiter = processes[t % 2];
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    long until = System.nanoTime() + Duration.ofMillis(millis).toNanos();
                    for (int i = 0; i < calls && (millis == 0 || System.nanoTime() < until); i++) {
                        long sent = System.nanoTime();
                        int permits = cost.applyAsInt(thread, i);
                        if (limiter.allow(this.key, List.of(limit), permits).allowed()) {
                            Call call = new Call(sent, System.nanoTime());
                            allowed.addAll(Collections.nCopies(permits, call));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }
        return new ArrayList<>(allowed);
    }

    /**
     * Each allowed call was decided at some instant between sending and answer. If {@code count + 1} of them were
     * all sent and answered within less than one window, the store certainly allowed more than {@code count} in a
     * sliding window; the check never blames latency on the store.
     */
    static void assertAtMostCountInAnyWindow(List<Call> allowed, Limit limit) {
        List<Call> bySent = new ArrayList<>(allowed);
        bySent.sort(Comparator.comparingLong(Call::sent));
        int count = (int) limit.count();
        for (int first = 0; first < bySent.size(); first++) {
            // of the calls sent after `first`, the `count` answered earliest give the shortest possible span
            List<Long> answered = new ArrayList<>();
            for (int other = first + 1; other < bySent.size(); other++) {
                answered.add(bySent.get(other).answered());
            }
            if (answered.size() < count) {
                return;
            }
            Collections.sort(answered);
            long span = Math.max(answered.get(count - 1), bySent.get(first).answered()) - bySent.get(first).sent();
            assertThat(Duration.ofNanos(span))
                .as("%d calls allowed within less than %s", count + 1, limit.window())
                .isGreaterThanOrEqualTo(limit.window());
        }
    }

    record Call(long sent, long answered) {
    }
}
