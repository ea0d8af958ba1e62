package io.pielock.lock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import io.pielock.lock.LockAcquisitionException.Reason;
import io.pielock.store.memory.InMemoryLockStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Acquisitions whose store calls fail: a failure the store calls transient is sent again, with the same owner
 * token, a few times within the caller's timeout; any other fails the call at once as
 * {@link Reason#STORE_UNAVAILABLE}, never as contention. Threads queued behind such calls say what happened
 * meanwhile. The store is the real memory store behind a wrapper that fails the calls a test asks it to.
 */
class AcquisitionStoreFailuresTest {

    private final List<LockTemplate> templates = new CopyOnWriteArrayList<>();

    /** Another thread of the same JVM, for calls that must be under way while the test's thread calls. */
    private final ExecutorService elsewhere = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        this.elsewhere.shutdownNow();
        this.templates.forEach(LockTemplate::close);
    }

    /**
     * Starts {@code template.lock(key)} (60 s timeout) on another thread, and returns once that call has sent
     * {@code sent} acquisitions to the store.
     */
    private Future<LockHandle> lockElsewhere(LockTemplate template, String key, FailingAcquisitions store, int sent)
            throws InterruptedException {
        Future<LockHandle> call = this.elsewhere.submit(() -> template.lock(key,
                LockOptions.defaults().withTimeout(Duration.ofSeconds(60))));
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (store.tokens.size() < sent && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
        return call;
    }

    /** @return how many failed store calls the exception's message reports ("N attempts failed") */
    private static int failuresReported(LockAcquisitionException ex) {
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("(\\d+) attempts failed")
            .matcher(ex.getMessage());
        assertThat(count.find()).as("a count of failed attempts in: %s", ex.getMessage()).isTrue();
        return Integer.parseInt(count.group(1));
    }

    private LockTemplate template(LockStore store) {
        LockTemplate template = new LockTemplate(store);
        this.templates.add(template);
        return template;
    }

    @Test
    void aFailureThatIsNotTransientFailsTheCallAtOnceWithTheStoresErrorAsCause() {
        FailingAcquisitions store = new FailingAcquisitions(Integer.MAX_VALUE, false);
        LockTemplate template = template(store);
        assertThatThrownBy(() -> template.acquire("down", LockOptions.defaults().withTimeout(Duration.ofSeconds(60))))
            .isInstanceOfSatisfying(LockAcquisitionException.class,
                    ex -> assertThat(ex.getReason()).isEqualTo(Reason.STORE_UNAVAILABLE))
            .hasMessageContaining("down")
            .hasCauseReference(store.failure);
        assertThat(store.tokens).hasSize(1);
    }

    @Test
    void aTransientFailureIsSentAgainWithTheSameOwnerTokenAndTheCallGetsTheLock() {
        FailingAcquisitions store = new FailingAcquisitions(2, true);
        LockTemplate template = template(store);
        LockResult result = template.acquire("flaky", LockOptions.defaults().withTimeout(Duration.ofSeconds(60)));
        assertThat(result.acquired()).isTrue();
        assertThat(store.tokens).hasSize(3).containsOnly(store.tokens.get(0));
        assertThat(template.release("flaky").released()).isTrue();
    }

    @Test
    void aTransientFailureIsSentAgainAtMostThreeTimesAndTheCallSaysHowOftenItFailed() {
        FailingAcquisitions store = new FailingAcquisitions(Integer.MAX_VALUE, true);
        LockTemplate template = template(store);
        assertThatThrownBy(() -> template.lock("down", LockOptions.defaults().withTimeout(Duration.ofSeconds(60))))
            .isInstanceOfSatisfying(LockAcquisitionException.class,
                    ex -> assertThat(ex.getReason()).isEqualTo(Reason.STORE_UNAVAILABLE))
            .hasMessageContaining("4 attempts failed")
            .hasCauseReference(store.failure);
        assertThat(store.tokens).hasSize(4);
    }

    @Test
    void aTransientFailureIsSentAgainAfterAPauseThatDoublesEachTime() {
        FailingAcquisitions store = new FailingAcquisitions(Integer.MAX_VALUE, true);
        LockTemplate template = template(store);
        assertThatThrownBy(() -> template.lock("down", LockOptions.defaults().withTimeout(Duration.ofSeconds(60))))
            .isInstanceOf(LockAcquisitionException.class);
        assertThat(store.sentAt).hasSize(4);
        for (int resend = 0; resend < 3; resend++) {
            long gap = store.sentAt.get(resend + 1) - store.sentAt.get(resend);
            // 50 ms, 100 ms, 200 ms; a busy machine only makes the pauses longer
            assertThat(Duration.ofNanos(gap)).as("pause before resend %d", resend + 1)
                .isGreaterThanOrEqualTo(Duration.ofMillis(45L << resend));
        }
    }

    @Test
    void aSingleAttemptIsSentAgainOnlyOnceAfterATransientFailure() {
        FailingAcquisitions store = new FailingAcquisitions(Integer.MAX_VALUE, true);
        LockTemplate template = template(store);
        assertThatThrownBy(() -> template.tryAcquire("down")).isInstanceOfSatisfying(LockAcquisitionException.class,
                ex -> assertThat(ex.getReason()).isEqualTo(Reason.STORE_UNAVAILABLE));
        assertThat(store.tokens).hasSize(2);
    }

    @Test
    void noResendIsSentWhenItsPauseWouldOutlastTheTimeout() {
        FailingAcquisitions store = new FailingAcquisitions(Integer.MAX_VALUE, true);
        LockTemplate template = template(store);
        // the first resend would wait 50 ms, longer than the 20 ms the caller gives
        assertThatThrownBy(() -> template.lock("down", LockOptions.defaults().withTimeout(Duration.ofMillis(20))))
            .isInstanceOfSatisfying(LockAcquisitionException.class,
                    ex -> assertThat(ex.getReason()).isEqualTo(Reason.STORE_UNAVAILABLE));
        assertThat(store.tokens).hasSize(1);
    }

    @Test
    void aThreadQueuedBehindALocalThreadWhoseStoreCallsFailSaysSoWhenItGivesUp() throws Exception {
        FailingAcquisitions store = new FailingAcquisitions(Integer.MAX_VALUE, true);
        store.pause = Duration.ofMillis(200);
        LockTemplate template = template(store);
        // the first thread's call and its three resends take well over a second
        Future<LockHandle> failing = lockElsewhere(template, "down", store, 1);
        assertThatThrownBy(() -> template.lock("down", LockOptions.defaults()
            .withTimeout(Duration.ofMillis(600))))
            .isInstanceOfSatisfying(LockAcquisitionException.class,
                    ex -> assertThat(ex.getReason()).isEqualTo(Reason.TIMEOUT))
            .hasMessageContaining("attempts failed")
            .hasCauseReference(store.failure);
        assertThatThrownBy(failing::get).hasCauseInstanceOf(LockAcquisitionException.class);
        assertThat(template.localGateCount()).isZero();
    }

    @Test
    void aThreadThatGivesUpBehindFailingCallsCountsOnlyTheFailuresSinceItCame() throws Exception {
        FailingAcquisitions store = new FailingAcquisitions(Integer.MAX_VALUE, true);
        // each call fails after 400 ms: the first thread's four end about 2 s after its first was sent
        store.pause = Duration.ofMillis(400);
        LockTemplate template = template(store);
        // comes once the first thread's first call has failed and its resend is under way (about 0.45 s in), and
        // gives up at the gate, in the middle of the resends
        Future<LockHandle> failing = lockElsewhere(template, "down", store, 2);
        assertThatThrownBy(() -> template.lock("down", LockOptions.defaults().withTimeout(Duration.ofMillis(800))))
            .isInstanceOfSatisfying(LockAcquisitionException.class, ex -> {
                assertThat(ex.getReason()).isEqualTo(Reason.TIMEOUT);
                // at least the first failure came before this thread did
                assertThat(failuresReported(ex)).as(ex.getMessage()).isBetween(1, store.failed.get() - 1);
            });
        assertThatThrownBy(failing::get).hasCauseInstanceOf(LockAcquisitionException.class);
    }

    @Test
    void aThreadQueuedBehindAStoreCallThatFailedGoesOnToTheStoreWhenItFails() throws Exception {
        FailingAcquisitions store = new FailingAcquisitions(1, false);
        store.pause = Duration.ofMillis(500);
        LockTemplate template = template(store);
        Future<LockHandle> failing = lockElsewhere(template, "gate", store, 1);
        // queued behind the first thread's store call, which fails meanwhile: the gate is this thread's then
        LockResult result = template.acquire("gate", LockOptions.defaults().withTimeout(Duration.ofSeconds(10)));
        assertThat(result.acquired()).as("acquired once the failed call let go of the gate: %s", result.message())
            .isTrue();
        assertThatThrownBy(failing::get).hasCauseInstanceOf(LockAcquisitionException.class);
        assertThat(store.tokens).as("the failed call, then this one").hasSize(2);
        assertThat(template.release("gate").released()).isTrue();
    }

    @Test
    void aCallCountsOnlyTheStoreFailuresSinceItCameToTheKey() throws Exception {
        FailingAcquisitions store = new FailingAcquisitions(Integer.MAX_VALUE, true);
        store.pause = Duration.ofMillis(200);
        LockTemplate template = template(store);
        Future<LockHandle> failing = lockElsewhere(template, "down", store, 2);
        // comes while the first thread's calls fail: at least one of them failed before, at most 3 follow,
        // then its own 4 fail
        assertThatThrownBy(() -> template.lock("down", LockOptions.defaults().withTimeout(Duration.ofSeconds(30))))
            .isInstanceOfSatisfying(LockAcquisitionException.class, ex -> {
                assertThat(ex.getReason()).isEqualTo(Reason.STORE_UNAVAILABLE);
                assertThat(failuresReported(ex)).as(ex.getMessage()).isBetween(4, 7);
            });
        assertThatThrownBy(failing::get).hasCauseInstanceOf(LockAcquisitionException.class);
    }

    /** Fails the first {@code failures} acquisitions, remembering the owner token of every one sent. */
    private static final class FailingAcquisitions extends ForwardingLockStore {

        final List<String> tokens = new CopyOnWriteArrayList<>();

        /** When each acquisition was sent ({@link System#nanoTime()}). */
        final List<Long> sentAt = new CopyOnWriteArrayList<>();

        final RuntimeException failure = new DataAccessResourceFailureException("store out of reach");

        final AtomicInteger failed = new AtomicInteger();

        volatile Duration pause = Duration.ZERO;

        private final int failures;

        private final boolean transientFailures;

        FailingAcquisitions(int failures, boolean transientFailures) {
            super(new InMemoryLockStore());
            this.failures = failures;
            this.transientFailures = transientFailures;
        }

        @Override
        public LockAttempt tryAcquire(String key, String token, Duration lease) {
            fail(token);
            return super.tryAcquire(key, token, lease);
        }

        @Override
        public LockAttempt tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
            fail(token);
            return super.tryAcquire(key, token, lease, retryWithin);
        }

        private void fail(String token) {
            this.sentAt.add(System.nanoTime());
            this.tokens.add(token);
            if (this.failed.incrementAndGet() <= this.failures) {
                AbstractLockTemplateContractTest.sleep(this.pause.toMillis());
                throw this.failure;
            }
        }

        @Override
        public boolean isTransient(RuntimeException failure) {
            return this.transientFailures && failure == this.failure;
        }
    }
}
