package io.pielock.lock;

import java.time.Duration;

import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import io.pielock.observation.LockObservations;
import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.test.CapturedLogs;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A release whose store call fails: the caller is told the lock could not be released and that it frees itself
 * when its lease runs out, a WARN says the same, the hold is gone from this JVM, and its observation ends as
 * {@code unreachable}. The store is the real memory store behind a wrapper whose releases fail.
 */
class ReleaseStoreFailuresTest {

    private static final DataAccessResourceFailureException DOWN = new DataAccessResourceFailureException(
            "Redis is down");

    private final InMemoryLockStore memory = new InMemoryLockStore();

    private final LockTemplate template = new LockTemplate(new ForwardingLockStore(this.memory) {
        @Override
        public boolean release(String key, String token) {
            throw DOWN;
        }
    });

    private final TestObservationRegistry observations = TestObservationRegistry.create();

    @AfterEach
    void close() {
        this.template.close();
    }

    @Test
    void aReleaseTheStoreCannotTakeSaysSoLogsItAndEndsTheHoldHere() {
        this.template.setObserver(new LockObservations(this.observations));
        LockHandle handle = this.template.lock("orders:42");
        ReleaseResult result;
        try (CapturedLogs logs = CapturedLogs.capture()) {
            result = handle.release();

            assertThat(logs.text()).contains("WARN io.pielock.lock.LockTemplate Could not release lock key: orders:42; "
                    + "it frees itself when its lease runs out | " + DataAccessResourceFailureException.class.getName()
                    + ": Redis is down");
        }

        assertThat(result.released()).isFalse();
        assertThat(result.message()).isEqualTo("Could not reach the lock store to release key: orders:42 (" + DOWN
                + "); the lock frees itself when its lease runs out");
        assertThat(this.template.heldLocks()).as("holds left in this JVM").isEmpty();
        assertThat(handle.isHeld()).isFalse();
        assertThat(this.observations).hasObservationWithNameEqualTo("pielock.lock.held")
            .that()
            .hasBeenStopped()
            .hasLowCardinalityKeyValue("released", "unreachable");
        assertThat(this.memory.inspect("orders:42")).as("the lock, left to its lease")
            .hasValueSatisfying(state -> assertThat(state.held()).isTrue());
    }

    @Test
    void aHoldPassedOnWhileTheStoreIsDownSaysItCouldNotBeReleased() throws Exception {
        LockTemplate handing = new LockTemplate(new ForwardingLockStore(this.memory) {
            @Override
            public LockAttempt handOver(String key, String fromToken, String toToken, Duration lease,
                    Duration retryWithin) {
                throw DOWN;
            }
        });
        try {
            LockHandle handle = handing.lock("orders:43");
            Thread waiter = new Thread(() -> {
                try {
                    handing.run("orders:43", LockOptions.defaults().withTimeout(Duration.ofSeconds(1)), () -> { });
                }
                catch (LockAcquisitionException expected) {
                    // the lock stays held in the store until its lease runs out
                }
            });
            waiter.start();
            long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(Integer.valueOf(1).equals(handing.waitingThreads().get("orders:43"))
                    && waiter.getState() == Thread.State.TIMED_WAITING) && System.nanoTime() < giveUp) {
                Thread.sleep(5);
            }
            ReleaseResult result = handle.release();
            waiter.join(10_000);

            assertThat(result.released()).isFalse();
            assertThat(result.message()).startsWith("Could not reach the lock store to release key: orders:43");
        }
        finally {
            handing.close();
        }
    }
}
