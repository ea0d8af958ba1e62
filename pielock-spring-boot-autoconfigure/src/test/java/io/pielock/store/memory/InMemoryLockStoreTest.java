package io.pielock.store.memory;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.pielock.lock.LockAttempt;
import io.pielock.lock.LockState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory store's own rules, below the template: hand-overs between callers of one template give way to a
 * caller of another template that waits, fencing tokens rise strictly, and the store forgets what has expired.
 */
class InMemoryLockStoreTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    /** How long a caller that stopped waiting still holds up hand-overs (the store's margin, 1 s), and a bit. */
    private static final long MARK_PASSED_MILLIS = 1_200;

    private final InMemoryLockStore store = new InMemoryLockStore();

    @Test
    void aHandOverGivesTheNextCallerAFullLeaseAndANewFencingToken() {
        LockAttempt first = this.store.tryAcquire("order-1", "a", LEASE);
        LockAttempt handed = this.store.handOver("order-1", "a", "c", LEASE, Duration.ofSeconds(1));
        assertThat(handed.acquired()).isTrue();
        assertThat(handed.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(this.store.tryAcquire("order-1", "b", LEASE).acquired()).isFalse();
        LockState state = this.store.inspect("order-1").orElseThrow();
        assertThat(state.held()).isTrue();
        assertThat(state.leaseLeft()).isGreaterThan(LEASE.minusSeconds(10));
        assertThat(state.lastFencingToken()).isEqualTo(handed.fencingToken());
        assertThat(this.store.release("order-1", "c")).isTrue();
    }

    @Test
    void aHandOverFromACallerThatDoesNotHoldTheLockFails() {
        LockAttempt free = this.store.handOver("order-2", "x", "y", LEASE, Duration.ofSeconds(1));
        assertThat(free.acquired()).isFalse();
        assertThat(free.holderTtl()).isZero();
        this.store.tryAcquire("order-2", "a", LEASE);
        LockAttempt heldByA = this.store.handOver("order-2", "b", "c", LEASE, Duration.ofSeconds(1));
        assertThat(heldByA.acquired()).isFalse();
        assertThat(heldByA.holderTtl()).isPositive().isLessThanOrEqualTo(LEASE);
        assertThat(this.store.release("order-2", "a")).as("a still holds it").isTrue();
    }

    @Test
    void aHandOverGivesWayToACallerOfAnotherTemplateThatWaitsAndThatCallerWaitsInTurn() throws Exception {
        this.store.tryAcquire("order-3", "a", LEASE);
        assertThat(this.store.tryAcquire("order-3", "b", LEASE, Duration.ofMillis(1)).acquired()).isFalse();
        LockAttempt handed = this.store.handOver("order-3", "a", "c", LEASE, Duration.ofSeconds(5));
        assertThat(handed.acquired()).as("b waits: a releases instead of handing over").isFalse();
        assertThat(this.store.tryAcquire("order-3", "b", LEASE).acquired()).isTrue();
        Thread.sleep(MARK_PASSED_MILLIS); // b's own wait is long over; c's (5 s) is not
        assertThat(this.store.handOver("order-3", "b", "d", LEASE, Duration.ofSeconds(5)).acquired())
            .as("c, whose turn was given up, now waits: b releases too").isFalse();
    }

    @Test
    void aCallerThatStoppedWaitingNoLongerHoldsUpAHandOver() throws Exception {
        this.store.tryAcquire("order-4", "a", LEASE);
        assertThat(this.store.tryAcquire("order-4", "b", LEASE, Duration.ofMillis(1)).acquired()).isFalse();
        Thread.sleep(MARK_PASSED_MILLIS);
        assertThat(this.store.handOver("order-4", "a", "c", LEASE, Duration.ofSeconds(1)).acquired()).isTrue();
    }

    @Test
    void fencingTokensRiseStrictlyEvenWhenManyAreIssuedInOneMicrosecond() {
        long last = 0;
        for (int i = 0; i < 20_000; i++) {
            long token = this.store.tryAcquire("fenced-" + i, "a", LEASE).fencingToken();
            assertThat(token).isGreaterThan(last);
            last = token;
        }
    }

    @Test
    void theStoreForgetsExpiredLeasesWaitsAndFencesAsItGoesEvery1024Acquisitions() throws Exception {
        Duration shortLease = Duration.ofMillis(500);
        int operations = 0;
        for (int i = 0; i < 10; i++) {
            this.store.tryAcquire("short-" + i, "a", shortLease);
            operations++;
        }
        for (int i = 0; i < 5; i++) {
            assertThat(this.store.release("short-" + i, "a")).isTrue();
        }
        this.store.tryAcquire("released-long", "a", Duration.ofMinutes(1));
        assertThat(this.store.release("released-long", "a")).isTrue();
        this.store.tryAcquire("busy", "a", Duration.ofMinutes(1));
        operations += 2;
        for (int i = 5; i < 10; i++) {
            this.store.tryAcquire("short-" + i, "b", shortLease, Duration.ofMillis(1));
            operations++;
        }
        this.store.tryAcquire("busy", "b", LEASE, Duration.ofSeconds(30));
        operations++;
        Thread.sleep(MARK_PASSED_MILLIS + 300); // short leases, their fences and the short waits are over
        while (operations < 1023) {
            this.store.tryAcquire("busy", "a", LEASE);
            operations++;
        }
        // leases: short-5..9 (expired) and busy; waits: short-5..9 (over) and busy; fences: short-0..4 (forgotten)
        // and released-long
        assertThat(this.store.held()).as("nothing forgotten yet").isEqualTo(6 + 6 + 6);
        this.store.tryAcquire("last", "a", LEASE);
        assertThat(this.store.held()).as("busy's lease, b's wait for it, released-long's fence, last's lease")
            .isEqualTo(4);
    }
}
