package io.pielock.store.memory;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitAttempt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory store's ring of call times, at the edges the limiter's contract does not reach: a call taken back
 * when it is the oldest of a full window, a ring that grows after it has reused a slot, and idle keys forgotten
 * as the store goes.
 */
class InMemoryRateLimitStoreTest {

    private final InMemoryRateLimitStore store = new InMemoryRateLimitStore();

    @Test
    void takingBackTheOldestCallOfAFullWindowLeavesRoomForExactlyOneMore() {
        List<Limit> twoPerMinute = List.of(Limit.of(2, Duration.ofMinutes(1)));
        LimitAttempt oldest = this.store.tryConsume("k", twoPerMinute);
        assertThat(this.store.tryConsume("k", twoPerMinute).allowed()).isTrue();
        this.store.refund("k", oldest);
        assertThat(this.store.tryConsume("k", twoPerMinute).allowed()).isTrue();
        assertThat(this.store.tryConsume("k", twoPerMinute).allowed()).isFalse();
    }

    @Test
    void afterTheOldestCallIsTakenBackTheNextOldestDecidesWhenTheWindowHasRoom() throws Exception {
        List<Limit> threePerTwoSeconds = List.of(Limit.of(3, Duration.ofSeconds(2)));
        LimitAttempt oldest = this.store.tryConsume("k", threePerTwoSeconds);
        this.store.tryConsume("k", threePerTwoSeconds);
        long afterSecond = System.nanoTime();
        Thread.sleep(300);
        this.store.tryConsume("k", threePerTwoSeconds);
        this.store.refund("k", oldest);
        assertThat(this.store.tryConsume("k", threePerTwoSeconds).allowed()).isTrue();
        long beforeDenied = System.nanoTime();
        LimitAttempt denied = this.store.tryConsume("k", threePerTwoSeconds);
        assertThat(denied.allowed()).isFalse();
        // the second call leaves the window first: at the latest 2 s after it was recorded
        assertThat(denied.windows().get(0).retryAfter())
            .isLessThanOrEqualTo(Duration.ofNanos(afterSecond + Duration.ofSeconds(2).toNanos() - beforeDenied));
    }

    @Test
    void aWindowThatGrowsAfterReusingASlotKeepsEveryCallStillInsideIt() throws Exception {
        Duration window = Duration.ofSeconds(2);
        List<Limit> fourPerWindow = List.of(Limit.of(4, window));
        long first = System.nanoTime();
        this.store.tryConsume("k", fourPerWindow);
        Thread.sleep(1_000);
        this.store.tryConsume("k", fourPerWindow);
        while (System.nanoTime() - first < window.toNanos() + 50_000_000L) {
            Thread.sleep(10);
        }
        // the first call has left; the second is inside for about another second: it and three new ones fill it
        assertThat(this.store.tryConsume("k", fourPerWindow).allowed()).isTrue(); // reuses the first call's slot
        assertThat(this.store.tryConsume("k", fourPerWindow).allowed()).isTrue(); // grows the ring
        LimitAttempt fourth = this.store.tryConsume("k", fourPerWindow);
        assertThat(fourth.allowed()).isTrue();
        assertThat(fourth.windows().get(0).remaining()).isZero();
        assertThat(this.store.tryConsume("k", fourPerWindow).allowed()).isFalse();
    }

    @Test
    void idleKeysAreForgottenAsTheStoreGoesEvery1024Decisions() throws Exception {
        List<Limit> oneMillisecond = List.of(Limit.of(5, Duration.ofMillis(1)));
        this.store.tryConsume("long", List.of(Limit.of(5, Duration.ofMinutes(1))));
        for (int i = 2; i < 1024; i++) {
            this.store.tryConsume("short-" + i, oneMillisecond);
        }
        Thread.sleep(20);
        assertThat(this.store.held()).as("nothing forgotten yet").isEqualTo(1023);
        this.store.tryConsume("new", oneMillisecond);
        assertThat(this.store.held()).as("long and new").isEqualTo(2);
    }
}
