package io.pielock.lock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;

import io.pielock.key.Keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link LockStore} must give {@link LockTemplate}. Subclassed once per store, so the Redis
 * and memory stores pass the same specification. Each {@link #newProcess()} stands for one application
 * instance (its own template, and for Redis its own connections).
 */
abstract class AbstractLockTemplateContractTest {

    private final List<AutoCloseable> closeables = new ArrayList<>();

    protected String key;

    /** @return a store as another application instance would see it */
    protected abstract LockStore newStore();

    @BeforeEach
    void uniqueKey() {
        this.key = "test:" + UUID.randomUUID();
    }

    @AfterEach
    void closeAll() throws Exception {
        // newest first: stores before the connections they use
        for (int i = this.closeables.size() - 1; i >= 0; i--) {
            this.closeables.get(i).close();
        }
    }

    protected LockTemplate newProcess() {
        return newProcess(LockOptions.defaults());
    }

    protected LockTemplate newProcess(LockOptions defaults) {
        LockStore store = newStore();
        LockTemplate template = new LockTemplate(store, defaults);
        this.closeables.add(template);
        track(store);
        return template;
    }

    /** Closes (or destroys) the object after the test, if it is closeable. */
    protected <T> T track(T closeable) {
        if (closeable instanceof AutoCloseable c) {
            this.closeables.add(c);
        }
        else if (closeable instanceof DisposableBean bean) {
            this.closeables.add(bean::destroy);
        }
        return closeable;
    }

    @Test
    void mutualExclusionHoldsFor16ThreadsAcrossTwoProcesses() throws Exception {
        LockTemplate first = newProcess();
        LockTemplate second = newProcess();
        int[] counter = { 0 };
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int threads = 16;
        int rounds = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                LockTemplate template = (t % 2 == 0) ? first : second;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        template.run(this.key, () -> {
                            if (inside.incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                            int read = counter[0];
                            Thread.yield();
                            counter[0] = read + 1;
                            inside.decrementAndGet();
                        });
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(overlaps).hasValue(0);
        assertThat(counter[0]).isEqualTo(threads * rounds);
    }

    @Test
    void sameThreadReacquiresAndNeedsAsManyReleases() {
        LockTemplate template = newProcess();
        LockTemplate other = newProcess();
        assertThat(template.acquire(this.key).acquired()).isTrue();
        assertThat(template.acquire(this.key).acquired()).isTrue();
        assertThat(template.release(this.key).released()).isTrue();
        assertThat(other.tryAcquire(this.key).acquired()).as("still held after one of two releases").isFalse();
        assertThat(template.release(this.key).released()).isTrue();
        assertThat(other.tryAcquire(this.key).acquired()).isTrue();
    }

    @Test
    void reentrantAcquisitionKeepsTheFencingToken() {
        LockTemplate template = newProcess();
        try (LockHandle outer = template.lock(this.key); LockHandle inner = template.lock(this.key)) {
            assertThat(inner.fencingToken()).isEqualTo(outer.fencingToken());
        }
    }

    @Test
    void tryAcquireMakesOneAttemptWithoutWaiting() {
        LockTemplate holder = newProcess();
        LockTemplate other = newProcess(LockOptions.defaults().withTimeout(Duration.ofMinutes(5)));
        assertThat(holder.acquire(this.key).acquired()).isTrue();
        long start = System.nanoTime();
        LockResult result = other.tryAcquire(this.key);
        assertThat(result.acquired()).isFalse();
        assertThat(result.message()).isEqualTo("Lock already acquired by another process key: " + this.key);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void acquireGivesUpAfterTheTimeoutWhileAnotherProcessHolds() {
        LockTemplate holder = newProcess();
        LockTemplate other = newProcess();
        holder.acquire(this.key);
        long start = System.nanoTime();
        LockResult result = other.acquire(this.key, other.defaults().withTimeout(Duration.ofMillis(300))
            .withRetryAfter(Duration.ofMillis(50)));
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        assertThat(result.acquired()).isFalse();
        assertThat(result.message()).startsWith("Timeout while waiting for lock key: " + this.key);
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(20));
        assertThatThrownBy(() -> other.lock(this.key, other.defaults().withTimeout(Duration.ofMillis(300))))
            .isInstanceOf(LockAcquisitionException.class)
            .hasMessageContaining("timed out waiting for the holder to release it (waited 300ms; the wait is the "
                    + "timeout attribute or pielock.lock.timeout)");
    }

    @Test
    void lockThrowsNamingTheKeyAndReasonWhenTriesAreExhausted() {
        LockTemplate holder = newProcess();
        LockTemplate other = newProcess();
        holder.acquire(this.key);
        LockOptions threeTries = other.defaults().withTries(3).withRetryAfter(Duration.ofMillis(10));
        assertThatThrownBy(() -> other.lock(this.key, threeTries)).isInstanceOf(LockAcquisitionException.class)
            .hasMessageContaining(this.key)
            .hasMessageContaining("every try found it held (3 tries, one every 10ms; set by tries and retryAfter, "
                    + "or pielock.lock.tries and pielock.lock.retry-after)")
            .satisfies(ex -> assertThat(((LockAcquisitionException) ex).getReason())
                .isEqualTo(LockAcquisitionException.Reason.TRIES_EXHAUSTED));
    }

    @Test
    void triesBoundTheWaitWhenTheHolderIsAThreadOfThisJvm() throws Exception {
        LockTemplate template = newProcess();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        ExecutorService holder = Executors.newSingleThreadExecutor();
        try {
            holder.submit(() -> {
                template.acquire(this.key);
                held.countDown();
                done.await();
                return template.release(this.key);
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            LockOptions twoTries = template.defaults().withTries(2).withRetryAfter(Duration.ofMillis(100))
                .withTimeout(Duration.ofSeconds(60));
            long start = System.nanoTime();
            LockResult result = template.acquire(this.key, twoTries);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(result.acquired()).isFalse();
            assertThat(result.message())
                .isEqualTo("Lock still held after 2 tries key: " + this.key + " (one every PT0.1S)");
            assertThat(waited).as("about one retryAfter, not the 60 s timeout")
                .isGreaterThanOrEqualTo(Duration.ofMillis(100)).isLessThan(Duration.ofSeconds(20));
            assertThatThrownBy(() -> template.lock(this.key, twoTries.withTries(1)))
                .isInstanceOfSatisfying(LockAcquisitionException.class, ex -> assertThat(ex.getReason())
                    .isEqualTo(LockAcquisitionException.Reason.TRIES_EXHAUSTED));
        }
        finally {
            done.countDown();
            holder.shutdown();
            assertThat(holder.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(template.tryAcquire(this.key).acquired()).as("free once its holder let go").isTrue();
    }

    @Test
    void aNonReentrantAcquisitionByTheHolderFailsAtOnceAndLeavesTheHoldAlone() {
        LockTemplate template = newProcess();
        LockTemplate other = newProcess();
        LockOptions notReentrant = template.defaults().withReentrant(false).withTimeout(Duration.ofSeconds(60));
        // the original pie-lock's optimistic lock: acquiring a held key again fails, whoever holds it
        long start = System.nanoTime();
        List<Boolean> acquired = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            acquired.add(template.acquire(this.key, notReentrant).acquired());
        }
        assertThat(acquired).containsExactly(true, false, false);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("failed at once, not after the 60 s timeout")
            .isLessThan(Duration.ofSeconds(20));
        assertThat(template.acquire(this.key, notReentrant).message()).isEqualTo("Lock already held by this thread key: "
                + this.key + " (not reentrant: release it before acquiring it again)");
        assertThatThrownBy(() -> template.lock(this.key, notReentrant))
            .isInstanceOfSatisfying(LockAcquisitionException.class, ex -> assertThat(ex.getReason())
                .isEqualTo(LockAcquisitionException.Reason.ALREADY_HELD))
            .hasMessageContaining(this.key);
        assertThat(other.tryAcquire(this.key).acquired()).as("the first hold is untouched").isFalse();
        assertThat(template.release(this.key).released()).as("one release frees it").isTrue();
        assertThat(template.release(this.key).released()).as("the refused attempts counted nothing").isFalse();
        assertThat(template.acquire(this.key, notReentrant).acquired()).isTrue();
        assertThat(template.release(this.key).released()).isTrue();
    }

    @Test
    void reentrancyCanBeSwitchedOffForAWholeTemplate() {
        LockTemplate template = newProcess(LockOptions.defaults().withReentrant(false));
        assertThat(template.tryAcquire(this.key).acquired()).isTrue();
        assertThat(template.tryAcquire(this.key).acquired()).isFalse();
        assertThat(template.acquire(this.key).acquired()).isFalse();
        assertThat(template.release(this.key).released()).isTrue();
        assertThat(template.tryAcquire(this.key).acquired()).isTrue();
    }

    @Test
    void waiterIsWokenByTheReleaseLongBeforeRetryAfter() throws Exception {
        LockTemplate holder = newProcess();
        LockTemplate waiter = newProcess(LockOptions.defaults().withRetryAfter(Duration.ofSeconds(30)));
        assertThat(holder.acquire(this.key).acquired()).isTrue();
        // prime the waiter's release subscription, as a running application would have
        waiter.acquire(this.key, waiter.defaults().withTimeout(Duration.ofMillis(500)));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch waiting = new CountDownLatch(1);
            Future<Long> acquiredAfter = pool.submit(() -> {
                waiting.countDown();
                long start = System.nanoTime();
                assertThat(waiter.acquire(this.key).acquired()).isTrue();
                waiter.release(this.key);
                return System.nanoTime() - start;
            });
            waiting.await();
            Thread.sleep(300);
            assertThat(holder.release(this.key).released()).isTrue();
            assertThat(Duration.ofNanos(acquiredAfter.get(60, TimeUnit.SECONDS)))
                .as("woken by the release, not by the 30 s poll")
                .isLessThan(Duration.ofSeconds(10));
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void crashedHoldersLockIsFreedWhenItsLeaseRunsOut() {
        LockTemplate crashed = newProcess();
        LockTemplate other = newProcess(LockOptions.defaults().withRetryAfter(Duration.ofSeconds(30)));
        LockResult abandoned = crashed.acquire(this.key,
                LockOptions.defaults().withExpires(Duration.ofMillis(400)).withRenew(false));
        assertThat(abandoned.acquired()).isTrue();
        // never released: the holder "crashed"
        long start = System.nanoTime();
        LockResult taken = other.acquire(this.key);
        assertThat(taken.acquired()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .as("retried when the lease ran out, not after the 30 s poll")
            .isLessThan(Duration.ofSeconds(10));
        assertThat(taken.fencingToken()).isGreaterThan(abandoned.fencingToken());
    }

    @Test
    void renewalKeepsALongRunningHoldersLock() throws Exception {
        // renewed every ~667 ms; held for one and a half leases, with slack for a busy machine's scheduling
        LockTemplate holder = newProcess(LockOptions.defaults().withExpires(Duration.ofSeconds(2)));
        LockTemplate other = newProcess();
        try (LockHandle handle = holder.lock(this.key)) {
            for (int i = 0; i < 20; i++) {
                Thread.sleep(150);
                assertThat(other.tryAcquire(this.key).acquired()).as("still held after %d ms", (i + 1) * 150)
                    .isFalse();
            }
            assertThat(handle.isHeld()).isTrue();
            assertThat(handle.release().released()).isTrue();
        }
        assertThat(other.tryAcquire(this.key).acquired()).isTrue();
    }

    @Test
    void releaseAfterTheLeaseWasLostChangesNothingAndSaysSo() throws Exception {
        LockTemplate stale = newProcess();
        LockTemplate next = newProcess();
        LockHandle staleHandle = stale.lock(this.key,
                LockOptions.defaults().withExpires(Duration.ofMillis(200)).withRenew(false));
        Thread.sleep(400);
        assertThat(staleHandle.isHeld()).isFalse();
        LockHandle nextHandle = next.lock(this.key, next.defaults().withTimeout(Duration.ofSeconds(10)));
        ReleaseResult late = staleHandle.release();
        assertThat(late.released()).isFalse();
        assertThat(late.message()).contains("lost").contains(this.key);
        assertThat(newProcess().tryAcquire(this.key).acquired()).as("the new holder keeps the lock").isFalse();
        assertThat(nextHandle.release().released()).isTrue();
    }

    @Test
    void releaseByAThreadThatDoesNotHoldTheLockChangesNothing() throws Exception {
        LockTemplate template = newProcess();
        LockTemplate other = newProcess();
        assertThat(template.acquire(this.key).acquired()).isTrue();
        AtomicReference<ReleaseResult> foreign = new AtomicReference<>();
        Thread thread = new Thread(() -> foreign.set(template.release(this.key)));
        thread.start();
        thread.join();
        assertThat(foreign.get().released()).isFalse();
        assertThat(foreign.get().message()).isEqualTo("Lock not held by this thread key: " + this.key);
        assertThat(other.release(this.key).released()).isFalse();
        assertThat(other.tryAcquire(this.key).acquired()).isFalse();
        assertThat(template.release(this.key).released()).isTrue();
    }

    @Test
    void fencingTokensStrictlyIncreaseAcrossProcesses() {
        LockTemplate first = newProcess();
        LockTemplate second = newProcess();
        long last = 0;
        for (int i = 0; i < 20; i++) {
            LockTemplate template = (i % 2 == 0) ? first : second;
            LockResult result = template.acquire(this.key);
            assertThat(result.fencingToken()).isGreaterThan(last);
            last = result.fencingToken();
            template.release(this.key);
        }
    }

    @Test
    void inspectingAKeyNeverLockedSaysFreeWithNoFencingToken() {
        LockStore store = track(newStore());

        assertThat(store.inspect(this.key)).hasValue(new LockState(false, null, null));
    }

    @Test
    void inspectingAHeldLockGivesItsLeaseLeftAndItsFencingToken() {
        LockStore store = track(newStore());
        LockTemplate template = track(new LockTemplate(store, LockOptions.defaults()
            .withExpires(Duration.ofSeconds(20))));
        long fencingToken = template.acquire(this.key).fencingToken();

        LockState state = store.inspect(this.key).orElseThrow();

        assertThat(state.held()).isTrue();
        assertThat(state.leaseLeft()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(20));
        assertThat(state.lastFencingToken()).isEqualTo(fencingToken);
        template.release(this.key);
    }

    @Test
    void aReleasedLockIsFreeAndItsLastFencingTokenIsKeptAsLongAsTheLeaseItWasIssuedWith() throws Exception {
        LockStore store = track(newStore());
        LockTemplate template = track(new LockTemplate(store, LockOptions.defaults()
            .withExpires(Duration.ofMillis(1000))));
        long issuedAt = System.nanoTime();
        long fencingToken = template.acquire(this.key).fencingToken();
        template.release(this.key);

        assertThat(store.inspect(this.key)).hasValue(new LockState(false, null, fencingToken));
        awaitUntil(() -> store.inspect(this.key).get().lastFencingToken() == null);
        assertThat(Duration.ofNanos(System.nanoTime() - issuedAt)).as("kept until one lease after its issue")
            .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void inspectingChangesNothing() {
        LockStore store = track(newStore());
        LockTemplate template = track(new LockTemplate(store));
        LockTemplate other = newProcess();
        template.acquire(this.key);
        store.inspect(this.key);
        assertThat(other.tryAcquire(this.key).acquired()).isFalse();
        template.release(this.key);
        store.inspect(this.key);
        assertThat(other.tryAcquire(this.key).acquired()).isTrue();
        other.release(this.key);
    }

    @Test
    void heldLocksDescribeEachHoldWithItsDepthAndLease() {
        LockTemplate template = newProcess(LockOptions.defaults().withExpires(Duration.ofSeconds(20)));
        Instant before = Instant.now().minusMillis(50);
        long fencingToken = template.acquire(this.key).fencingToken();
        template.acquire(this.key);

        assertThat(template.heldLocks()).singleElement().satisfies(held -> {
            assertThat(held.key()).isEqualTo(this.key);
            assertThat(held.fencingToken()).isEqualTo(fencingToken);
            assertThat(held.heldSince()).isBetween(before, Instant.now().plusMillis(50));
            assertThat(held.leaseLeft()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(20));
            assertThat(held.thread()).isEqualTo(Thread.currentThread().getName());
            assertThat(held.depth()).isEqualTo(2);
            assertThat(held.renewals()).isZero();
            assertThat(held.lost()).isFalse();
        });
        template.release(this.key);
        template.release(this.key);
        assertThat(template.heldLocks()).isEmpty();
    }

    @Test
    void heldLocksCountRenewals() throws Exception {
        // a lease long enough for a late renewal on a busy machine; renewed every third of it
        LockTemplate template = newProcess(LockOptions.defaults().withExpires(Duration.ofSeconds(3)));
        template.acquire(this.key);
        awaitUntil(() -> template.heldLocks().get(0).renewals() > 0);
        assertThat(template.heldLocks()).singleElement().satisfies(held -> {
            assertThat(held.renewals()).isPositive();
            assertThat(held.lost()).isFalse();
        });
        template.release(this.key);
    }

    @Test
    void waitingThreadsCountThreadsQueuedBehindALocalHolder() throws Exception {
        LockTemplate template = newProcess();
        LockHandle held = template.lock(this.key);
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread waiter = new Thread(() -> template.run(this.key, () -> { }));
            waiter.start();
            waiters.add(waiter);
        }
        awaitUntil(() -> Integer.valueOf(2).equals(template.waitingThreads().get(this.key)));
        held.close();
        for (Thread waiter : waiters) {
            waiter.join(20_000);
        }
        assertThat(template.waitingThreads()).doesNotContainKey(this.key);
    }

    @Test
    void waitingThreadsCountTheThreadWaitingOnTheStoreForALockHeldElsewhere() throws Exception {
        LockTemplate holder = newProcess();
        LockTemplate template = newProcess();
        holder.acquire(this.key);
        Thread waiter = new Thread(() -> template.run(this.key, () -> { }));
        waiter.start();
        awaitUntil(() -> Integer.valueOf(1).equals(template.waitingThreads().get(this.key)));
        assertThat(holder.waitingThreads()).isEmpty();
        holder.release(this.key);
        waiter.join(20_000);
        assertThat(template.waitingThreads()).isEmpty();
    }

    @Test
    void distinctKeysDoNotBlockEachOther() {
        LockTemplate first = newProcess();
        LockTemplate second = newProcess();
        assertThat(first.acquire(this.key + ":a").acquired()).isTrue();
        assertThat(second.tryAcquire(this.key + ":b").acquired()).isTrue();
    }

    @Test
    void aHandleMayBeClosedByAnotherThread() throws Exception {
        LockTemplate template = newProcess();
        LockTemplate other = newProcess();
        LockHandle handle = template.lock(this.key);
        Thread closer = new Thread(handle::close);
        closer.start();
        closer.join();
        assertThat(handle.isHeld()).isFalse();
        assertThat(other.tryAcquire(this.key).acquired()).isTrue();
    }

    @Test
    void executeExposesTheHandleThroughLockContextAndReleasesAfterwards() {
        LockTemplate template = newProcess();
        LockTemplate other = newProcess();
        long token = template.execute(this.key, () -> {
            assertThat(LockContext.current().key()).isEqualTo(this.key);
            assertThat(LockContext.current().isHeld()).isTrue();
            return LockContext.current().fencingToken();
        });
        assertThat(token).isPositive();
        assertThat(LockContext.find()).isEmpty();
        assertThat(other.tryAcquire(this.key).acquired()).isTrue();
    }

    @Test
    void lockContextGivesTheInnermostLockAndThenTheOuterOneAgain() {
        LockTemplate template = newProcess();
        String outer = this.key + ":outer";
        String inner = this.key + ":inner";
        template.run(outer, () -> {
            long outerToken = LockContext.current().fencingToken();
            template.run(inner, () -> assertThat(LockContext.current().key()).isEqualTo(inner));
            assertThat(LockContext.current().key()).isEqualTo(outer);
            assertThat(LockContext.current().fencingToken()).isEqualTo(outerToken);
        });
        assertThatThrownBy(LockContext::current).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("No lock is held by this thread");
    }

    @Test
    void executeReleasesWhenTheActionThrows() {
        LockTemplate template = newProcess();
        LockTemplate other = newProcess();
        assertThatThrownBy(() -> template.run(this.key, () -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(other.tryAcquire(this.key).acquired()).isTrue();
    }

    @Test
    void blankOrNullKeysAreRejected() {
        LockTemplate template = newProcess();
        assertThatThrownBy(() -> template.acquire(" ")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("blank");
        assertThatThrownBy(() -> template.lock(null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("null");
    }

    @Test
    void localWaitersQueueInsideTheJvmAndGatesAreCleanedUp() throws Exception {
        LockTemplate template = newProcess();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(() -> template.run(this.key, () -> sleep(20))));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(template.localGateCount()).isZero();
    }

    @Test
    void threadsOfOneProcessHandTheLockOnWithRisingFencingTokens() throws Exception {
        CountingStore counting = new CountingStore(track(newStore()));
        LockTemplate template = track(new LockTemplate(counting));
        int threads = 4;
        int rounds = 25;
        int[] counter = { 0 };
        List<Long> tokens = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        try (LockHandle handle = template.lock(this.key)) {
                            tokens.add(handle.fencingToken()); // unsynchronized on purpose: the lock guards it
                            int read = counter[0];
                            Thread.yield();
                            counter[0] = read + 1;
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(counter[0]).isEqualTo(threads * rounds);
        assertThat(tokens).hasSize(threads * rounds).isSorted().doesNotHaveDuplicates();
        assertThat(counting.handOvers.get()).as("locks passed between local threads without a release").isPositive();
        assertThat(counting.renewals.get()).as("each handed lock taken at once, without a store call to confirm it")
            .isZero();
        assertThat(newProcess().tryAcquire(this.key).acquired()).as("released after the last holder").isTrue();
    }

    @Test
    void aWaiterInAnotherProcessIsNotStarvedByLocalHandovers() throws Exception {
        LockTemplate busy = newProcess();
        LockTemplate other = newProcess();
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch otherGotIt = new CountDownLatch(1);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Runnable localLoop = () -> {
            // without turns between processes, these two threads would hand the lock to each other until give-up
            while (otherGotIt.getCount() > 0 && System.nanoTime() < giveUp) {
                busy.run(this.key, () -> {
                    rounds.incrementAndGet();
                    sleep(2);
                });
            }
        };
        Thread first = new Thread(localLoop);
        Thread second = new Thread(localLoop);
        first.start();
        second.start();
        awaitUntil(() -> rounds.get() >= 10);
        other.run(this.key, otherGotIt::countDown);
        assertThat(otherGotIt.getCount()).isZero();
        first.join(TimeUnit.SECONDS.toMillis(30));
        second.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(System.nanoTime()).as("the other process got a turn while the local threads kept going")
            .isLessThan(giveUp);
    }

    @Test
    void aHandOverAskedToGoAheadPassesTheLockLocallyAndTheWaiterElsewhereKeepsItsTurn() {
        LockStore here = track(newStore());
        LockStore elsewhere = track(newStore());
        Duration lease = Duration.ofSeconds(30);
        assertThat(here.tryAcquire(this.key, "here-1", lease).acquired()).isTrue();
        assertThat(elsewhere.tryAcquire(this.key, "elsewhere-1", lease, Duration.ofSeconds(5)).acquired())
            .as("held: the caller elsewhere waits").isFalse();

        LockAttempt ahead = here.handOver(this.key, "here-1", "here-2", lease, Duration.ofSeconds(1), true);
        assertThat(ahead.acquired()).as("asked to go ahead, the next local owner has the lock").isTrue();
        LockAttempt inTurn = here.handOver(this.key, "here-2", "here-3", lease, Duration.ofSeconds(1), false);
        assertThat(inTurn.acquired()).as("not asked to go ahead: the waiter elsewhere goes first").isFalse();
        assertThat(inTurn.holderTtl()).as("released for the waiter elsewhere").isNull();
        assertThat(elsewhere.tryAcquire(this.key, "elsewhere-1", lease, Duration.ofSeconds(5)).acquired())
            .as("the waiter elsewhere kept its turn").isTrue();
        assertThat(here.release(this.key, "here-2")).as("here-2 no longer holds it").isFalse();
        assertThat(elsewhere.release(this.key, "elsewhere-1")).isTrue();
    }

    @Test
    void aProcessGoesAheadOfWaitersElsewhereOnlyAfterGivingWayToThemThreeTimes() throws Exception {
        List<String> handOvers = java.util.Collections.synchronizedList(new ArrayList<>());
        LockStore recording = new ForwardingLockStore(track(newStore())) {
            @Override
            public LockAttempt handOver(String key, String fromToken, String toToken, Duration lease,
                    Duration retryWithin, boolean aheadOfOtherProcesses) {
                LockAttempt attempt = this.delegate.handOver(key, fromToken, toToken, lease, retryWithin,
                        aheadOfOtherProcesses);
                handOvers.add(aheadOfOtherProcesses ? "ahead" : (attempt.acquired() ? "local"
                        : (attempt.holderTtl() == null) ? "gave way" : "lost"));
                return attempt;
            }
        };
        LockTemplate busy = track(new LockTemplate(recording));
        LockTemplate other = newProcess();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (LockTemplate template : List.of(busy, busy, other, other)) {
            Thread thread = new Thread(() -> {
                while (!stop.get() && System.nanoTime() < giveUp) {
                    template.run(this.key, () -> sleep(1));
                }
            });
            threads.add(thread);
            thread.start();
        }
        try {
            awaitUntil(() -> countOf(handOvers, "ahead") >= 2);
        }
        finally {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        List<String> seen = List.copyOf(handOvers);
        int gaveWay = 0;
        for (String handOver : seen) {
            if (handOver.equals("gave way")) {
                gaveWay++;
            }
            else if (handOver.equals("ahead")) {
                assertThat(gaveWay).as("times the process gave way before going ahead, in " + seen)
                    .isGreaterThanOrEqualTo(3);
                gaveWay = 0;
            }
        }
    }

    private static long countOf(List<String> list, String value) {
        synchronized (list) {
            return list.stream().filter(value::equals).count();
        }
    }

    @Test
    void aReleaseWhileThreadsWaitHereAndElsewhereIsForTheOtherProcessAndSaysSo() throws Exception {
        LockTemplate here = newProcess();
        CountingStore elsewhereStore = new CountingStore(track(newStore()));
        LockTemplate elsewhere = track(new LockTemplate(elsewhereStore));
        List<String> turns = java.util.Collections.synchronizedList(new ArrayList<>());
        LockHandle handle = here.lock(this.key);
        Thread remote = new Thread(() -> elsewhere.run(this.key, () -> turns.add("elsewhere")));
        remote.start();
        awaitUntil(() -> elsewhereStore.attempts.get() >= 1); // it found the lock held and waits on the store
        Thread local = new Thread(() -> here.run(this.key, () -> turns.add("here")));
        local.start();
        awaitUntil(() -> Integer.valueOf(1).equals(here.waitingThreads().get(this.key)) && parked(local));

        ReleaseResult result = handle.release();

        assertThat(result.released()).as(result.message()).isTrue();
        assertThat(result.message()).isEqualTo("Lock released key: " + this.key + " (for a waiter in another process)");
        remote.join(TimeUnit.SECONDS.toMillis(30));
        local.join(TimeUnit.SECONDS.toMillis(30));
        // both get their turn; which goes first is the store's to decide (Redis passes the lock to the process
        // waiting longest, the memory store frees it for whoever asks first)
        assertThat(turns).as("who held the lock after the release").containsExactlyInAnyOrder("elsewhere", "here");
    }

    /** @return whether the thread is parked (counted as waiting a little before it parks at the gate) */
    private static boolean parked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 20 s").isLessThan(giveUp);
            Thread.sleep(5);
        }
    }

    @Test
    void aLockHandedToALocalThreadThatGaveUpMeanwhileIsReleasedInTheStore() throws Exception {
        LockStore slowHandover = new ForwardingLockStore(track(newStore())) {
            @Override
            public LockAttempt handOver(String key, String fromToken, String toToken, Duration lease,
                    Duration retryWithin) {
                sleep(1000); // the thread it is meant for gives up meanwhile
                return super.handOver(key, fromToken, toToken, lease, retryWithin);
            }
        };
        LockTemplate template = track(new LockTemplate(slowHandover));
        LockHandle held = template.lock(this.key);
        java.util.concurrent.CompletableFuture<LockResult> impatient = java.util.concurrent.CompletableFuture
            .supplyAsync(() -> template.acquire(this.key, template.defaults().withTimeout(Duration.ofMillis(500))));
        awaitUntil(() -> Integer.valueOf(1).equals(template.waitingThreads().get(this.key)));
        assertThat(held.release().released()).isTrue();
        assertThat(impatient.get(20, TimeUnit.SECONDS).acquired()).isFalse();
        assertThat(template.localGateCount()).isZero();
        assertThat(newProcess().tryAcquire(this.key).acquired()).as("the lock handed to nobody was released")
            .isTrue();
    }

    @Test
    void localWaitersForOneKeyDoNotStampedeTheStoreAtEachRelease() throws Exception {
        CountingStore counting = new CountingStore(track(newStore()));
        LockTemplate template = new LockTemplate(counting, LockOptions.defaults().withRetryAfter(Duration.ofMillis(50)));
        this.closeables.add(template);
        int threads = 8;
        CountDownLatch ready = new CountDownLatch(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (LockHandle first = template.lock(this.key)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    template.run(this.key, () -> sleep(30));
                }));
            }
            ready.await();
            Thread.sleep(400);
            first.close();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }
        // queued in the JVM, each waiter tries the store about once; polling every 50 ms would be ~8 x 8
        assertThat(counting.attempts.get()).isLessThanOrEqualTo(1 + 2 * threads);
    }

    @Test
    void aWaiterPausesBetweenStoreAttemptsWhileAnotherProcessHolds() {
        LockTemplate holder = newProcess();
        CountingStore counting = new CountingStore(track(newStore()));
        LockTemplate waiter = track(new LockTemplate(counting));
        assertThat(holder.acquire(this.key).acquired()).isTrue();
        // prime the waiter's release subscription, as a running application would have
        waiter.acquire(this.key, waiter.defaults().withTimeout(Duration.ofMillis(300)));
        counting.attempts.set(0);
        LockResult result = waiter.acquire(this.key, waiter.defaults().withTimeout(Duration.ofMillis(1500))
            .withRetryAfter(Duration.ofMillis(200)));
        assertThat(result.acquired()).isFalse();
        // one attempt per 200 ms over 1.5 s is about 8; without the pause it would be hundreds
        assertThat(counting.attempts.get()).isBetween(2, 15);
    }

    @Test
    void aWaiterMakesExactlyItsTriesOfStoreAttemptsWhileAnotherProcessHolds() {
        LockTemplate holder = newProcess();
        CountingStore counting = new CountingStore(track(newStore()));
        LockTemplate waiter = track(new LockTemplate(counting));
        assertThat(holder.acquire(this.key).acquired()).isTrue();
        LockOptions threeTries = waiter.defaults().withTries(3).withRetryAfter(Duration.ofMillis(50))
            .withTimeout(Duration.ofSeconds(60));
        assertThatThrownBy(() -> waiter.lock(this.key, threeTries))
            .isInstanceOfSatisfying(LockAcquisitionException.class, ex -> assertThat(ex.getReason())
                .isEqualTo(LockAcquisitionException.Reason.TRIES_EXHAUSTED));
        assertThat(counting.attempts.get()).isEqualTo(3);
    }

    @Test
    void renewalStopsWhenTheLockIsReleased() throws Exception {
        CountingStore counting = new CountingStore(track(newStore()));
        // renewed about every 100 ms while held
        LockTemplate template = track(new LockTemplate(counting,
                LockOptions.defaults().withExpires(Duration.ofMillis(300))));
        LockHandle handle = template.lock(this.key);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (counting.renewals.get() < 2 && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        assertThat(counting.renewals.get()).as("renewed while held").isGreaterThanOrEqualTo(2);
        assertThat(handle.release().released()).isTrue();
        int atRelease = counting.renewals.get();
        Thread.sleep(700); // seven renewal intervals
        // a renewal already under way when the release came may still run, once
        assertThat(counting.renewals.get() - atRelease).as("renewals after the release").isLessThanOrEqualTo(1);
    }

    @Test
    void aHeldLockIsRenewedEveryThirdOfItsLeaseAndNoMoreOften() throws Exception {
        CountingStore counting = new CountingStore(track(newStore()));
        Duration lease = Duration.ofMillis(900);
        long period = lease.toNanos() / 3;
        LockTemplate template = track(new LockTemplate(counting, LockOptions.defaults().withExpires(lease)));
        Thread.sleep(200); // its renewal thread, with nothing to renew, has gone to sleep: the new hold must wake it
        long before = System.nanoTime();
        try (LockHandle handle = template.lock(this.key)) {
            long giveUp = before + TimeUnit.SECONDS.toNanos(20);
            while (counting.renewals.get() < 3 && System.nanoTime() < giveUp) {
                Thread.sleep(20);
                int renewals = counting.renewals.get();
                // a renewal is due a third of the lease after the acquisition and after each renewal: whatever
                // the machine's delays, no more than this many can have come due by now
                long due = (System.nanoTime() - before) / period;
                assertThat((long) renewals).as("renewals of a 900 ms lease after %d ms",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).isLessThanOrEqualTo(due);
            }
            assertThat(counting.renewals.get()).as("renewed while held").isGreaterThanOrEqualTo(3);
            assertThat(handle.isHeld()).isTrue();
        }
    }

    @Test
    void theRenewalThreadSleepsBetweenRenewalsInsteadOfSpinning() throws Exception {
        java.util.Set<Thread> earlier = Thread.getAllStackTraces().keySet();
        LockTemplate template = newProcess(LockOptions.defaults().withExpires(Duration.ofSeconds(30)));
        Thread renewal = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("pielock-renewal-") && !earlier.contains(t))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the template started no pielock-renewal thread"));
        assertThat(renewal.isDaemon()).as("a renewal thread never keeps the JVM alive").isTrue();
        try (LockHandle handle = template.lock(this.key)) {
            int parked = 0;
            for (int i = 0; i < 50; i++) {
                Thread.State state = renewal.getState();
                if (state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING) {
                    parked++;
                }
                Thread.sleep(5);
            }
            // its next renewal is 10 s away: a thread that spins instead would be seen running every time
            assertThat(parked).as("samples of the renewal thread found parked, of 50").isGreaterThan(25);
        }
    }

    @Test
    void aThreadWaitingForAnotherProcessesLockIsParkedNotSpinning() throws Exception {
        LockTemplate holder = newProcess();
        LockHandle held = holder.lock(this.key);
        LockTemplate waiting = newProcess();
        java.util.concurrent.atomic.AtomicReference<Thread> waiter = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CompletableFuture<LockResult> waited = java.util.concurrent.CompletableFuture
            .supplyAsync(() -> {
                waiter.set(Thread.currentThread());
                return waiting.acquire(this.key, waiting.defaults().withTimeout(Duration.ofSeconds(20))
                    .withRetryAfter(Duration.ofSeconds(5)));
            });
        awaitUntil(() -> waiter.get() != null);
        Thread.sleep(300); // it tried, and now waits for the release (or its next try, 5 s away)
        int parked = 0;
        for (int i = 0; i < 50; i++) {
            Thread.State state = waiter.get().getState();
            if (state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING) {
                parked++;
            }
            Thread.sleep(5);
        }
        held.close();
        assertThat(waited.get(20, TimeUnit.SECONDS).acquired()).isTrue();
        assertThat(parked).as("samples of the waiting thread found parked, of 50").isGreaterThan(25);
    }

    @Test
    void aThreadHandedTheLockWithALeaseOtherThanItsOwnRenewsItToItsOwn() throws Exception {
        LockTemplate template = newProcess();
        LockHandle held = template.lock(this.key); // 30 s
        java.util.concurrent.CompletableFuture<Duration> leaseLeft = java.util.concurrent.CompletableFuture
            .supplyAsync(() -> template.execute(this.key, template.defaults().withExpires(Duration.ofSeconds(20))
                .withTimeout(Duration.ofSeconds(10)), () -> template.heldLocks().get(0).leaseLeft()));
        awaitUntil(() -> Integer.valueOf(1).equals(template.waitingThreads().get(this.key)));
        held.close(); // handed to the waiting thread with this hold's 30 s lease
        assertThat(leaseLeft.get(20, TimeUnit.SECONDS)).as("its own 20 s, confirmed in the store")
            .isLessThanOrEqualTo(Duration.ofSeconds(20))
            .isGreaterThan(Duration.ofSeconds(15));
    }

    @Test
    void aStoreRefusesToRenewForAnOwnerWhoseLeaseRanOutAndWhoseLockAnotherOwnerTook() throws Exception {
        LockStore store = track(newStore());
        assertThat(store.tryAcquire(this.key, "first-owner", Duration.ofMillis(100)).acquired()).isTrue();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        boolean taken = false;
        while (!taken && System.nanoTime() < giveUp) {
            Thread.sleep(20);
            taken = store.tryAcquire(this.key, "second-owner", Duration.ofSeconds(30)).acquired();
        }
        assertThat(taken).as("the second owner took the lock once the first lease ran out").isTrue();
        assertThat(store.renew(this.key, "first-owner", Duration.ofSeconds(30))).isFalse();
        assertThat(store.renew(this.key, "second-owner", Duration.ofSeconds(30))).isTrue();
        assertThat(store.release(this.key, "first-owner")).as("nor may it release").isFalse();
        assertThat(store.release(this.key, "second-owner")).isTrue();
    }

    @Test
    void manyLocalThreadsOverManyCyclesShareOneGateThatGoesAwayWhenTheyAreDone() throws Exception {
        CountingStore counting = new CountingStore(track(newStore()));
        LockTemplate template = track(new LockTemplate(counting,
                LockOptions.defaults().withRetryAfter(Duration.ofMillis(50))));
        int threads = 8;
        int rounds = 40;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger gatesSeenWhileHeld = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        template.run(this.key, () -> {
                            if (inside.incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                            gatesSeenWhileHeld.accumulateAndGet(template.localGateCount(), Math::max);
                            sleep(1);
                            inside.decrementAndGet();
                        });
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(overlaps).hasValue(0);
        assertThat(gatesSeenWhileHeld).as("one gate for the key while its threads hold and wait").hasValue(1);
        // threads queued on the one gate reach the store about once per hold; polling every 50 ms would be far more
        assertThat(counting.attempts.get()).isLessThanOrEqualTo(2 * threads * rounds);
        assertThat(template.localGateCount()).as("no gate left once every thread is done").isZero();
    }

    @Test
    void anInterruptedWaiterFailsAsInterruptedAndKeepsItsInterruptFlag() throws Exception {
        LockTemplate holder = newProcess();
        LockTemplate waiter = newProcess();
        assertThat(holder.acquire(this.key).acquired()).isTrue();
        AtomicReference<LockAcquisitionException> failure = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread waiting = new Thread(() -> {
            started.countDown();
            try {
                waiter.lock(this.key, waiter.defaults().withTimeout(Duration.ofSeconds(60)));
            }
            catch (LockAcquisitionException ex) {
                failure.set(ex);
            }
            flagKept.set(Thread.currentThread().isInterrupted());
        });
        waiting.start();
        started.await();
        Thread.sleep(300);
        long interruptedAt = System.nanoTime();
        waiting.interrupt();
        waiting.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).as("well under the 60 s timeout")
            .isLessThan(Duration.ofSeconds(20));
        assertThat(failure.get()).isNotNull();
        assertThat(failure.get().getReason()).isEqualTo(LockAcquisitionException.Reason.INTERRUPTED);
        assertThat(failure.get()).hasMessageContaining(this.key);
        assertThat(flagKept.get()).as("interrupt flag kept").isTrue();
    }

    @Test
    void aSecondLocalThreadTimesOutAtTheGateWhileTheFirstHolds() throws Exception {
        LockTemplate template = newProcess();
        LockHandle first = template.lock(this.key);
        try {
            AtomicReference<LockAcquisitionException> failure = new AtomicReference<>();
            Thread second = new Thread(() -> {
                try {
                    template.lock(this.key, template.defaults().withTimeout(Duration.ofMillis(300))).close();
                }
                catch (LockAcquisitionException ex) {
                    failure.set(ex);
                }
            });
            second.start();
            second.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(failure.get()).isNotNull();
            assertThat(failure.get().getReason()).isEqualTo(LockAcquisitionException.Reason.TIMEOUT);
            assertThat(failure.get()).hasMessageContaining(this.key);
            assertThat(first.isHeld()).isTrue();
        }
        finally {
            first.close();
        }
        assertThat(template.localGateCount()).isZero();
    }

    @Test
    void aReentrantAcquisitionAfterTheLeaseWasLostFailsAsLeaseLost() throws Exception {
        LockTemplate template = newProcess();
        LockHandle outer = template.lock(this.key,
                LockOptions.defaults().withExpires(Duration.ofMillis(100)).withRenew(false));
        Thread.sleep(300);
        assertThatThrownBy(() -> template.lock(this.key))
            .isInstanceOfSatisfying(LockAcquisitionException.class, ex -> assertThat(ex.getReason())
                .isEqualTo(LockAcquisitionException.Reason.LEASE_LOST))
            .hasMessageContaining(this.key);
        assertThat(template.acquire(this.key).message())
            .isEqualTo("Lease lost on the hold this thread already has key: " + this.key);
        assertThat(outer.release().released()).isFalse();
    }

    @Test
    void aLongLeaseIsMarkedLostAtItsNextRenewalOnceAnotherOwnerTookTheLock() throws Exception {
        OwnerTokenSeen seen = new OwnerTokenSeen(track(newStore()));
        // renewed every 2 s: the loss shows at the next renewal, well before the 6 s lease runs out on the local
        // clock (which would also end the hold, but without the renewal's reason)
        LockTemplate holder = track(new LockTemplate(seen, LockOptions.defaults().withExpires(Duration.ofSeconds(6))));
        LockHandle handle = holder.lock(this.key);
        long takenAt = System.nanoTime();
        LockStore elsewhere = track(newStore());
        assertThat(elsewhere.release(this.key, seen.token)).isTrue();
        assertThat(elsewhere.tryAcquire(this.key, "another-owner", Duration.ofSeconds(30)).acquired()).isTrue();
        long giveUp = takenAt + TimeUnit.MILLISECONDS.toNanos(5500);
        while (handle.isHeld() && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
        assertThat(handle.isHeld()).as("lost at the renewal, well before the lease ran out locally").isFalse();
        assertThat(holder.heldLocks()).singleElement().satisfies(held -> {
            assertThat(held.lost()).isTrue();
            assertThat(held.leaseLeft()).isZero();
        });
        assertThat(holder.acquire(this.key).message()).as("a reentrant acquisition on the lost hold")
            .isEqualTo("Lease lost on the hold this thread already has key: " + this.key);
        assertThat(handle.release().message()).contains("lost").contains("deleted or taken by another process");
        assertThat(elsewhere.release(this.key, "another-owner")).as("the other owner still held it").isTrue();
    }

    @Test
    void aHoldItsRenewalFoundTakenIsRenewedNoMore() throws Exception {
        CountingStore counting = new CountingStore(track(newStore()));
        OwnerTokenSeen seen = new OwnerTokenSeen(counting);
        // renewed every 300 ms
        LockTemplate holder = track(new LockTemplate(seen, LockOptions.defaults().withExpires(Duration.ofMillis(900))));
        LockHandle handle = holder.lock(this.key);
        LockStore elsewhere = track(newStore());
        assertThat(elsewhere.release(this.key, seen.token)).isTrue();
        assertThat(elsewhere.tryAcquire(this.key, "another-owner", Duration.ofSeconds(30)).acquired()).isTrue();
        awaitUntil(() -> counting.renewals.get() >= 1 && !handle.isHeld());
        int atLoss = counting.renewals.get();

        Thread.sleep(1200); // four renewal periods

        assertThat(counting.renewals.get() - atLoss).as("renewals after the hold was found taken").isZero();
        assertThat(holder.heldLocks()).singleElement().satisfies(held -> assertThat(held.lost()).isTrue());
        assertThat(elsewhere.release(this.key, "another-owner")).as("the other owner still holds it").isTrue();
    }

    @Test
    void aThreadInterruptedWhileQueuedBehindALocalHolderFailsAsInterruptedAndKeepsItsFlag() throws Exception {
        LockTemplate template = newProcess();
        LockHandle first = template.lock(this.key);
        AtomicReference<LockAcquisitionException> failure = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        try {
            Thread second = new Thread(() -> {
                try {
                    template.lock(this.key, template.defaults().withTimeout(Duration.ofSeconds(60))).close();
                }
                catch (LockAcquisitionException ex) {
                    failure.set(ex);
                }
                flagKept.set(Thread.currentThread().isInterrupted());
            });
            second.start();
            awaitUntil(() -> Integer.valueOf(1).equals(template.waitingThreads().get(this.key)));
            long interruptedAt = System.nanoTime();
            second.interrupt();
            second.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).as("well under the 60 s timeout")
                .isLessThan(Duration.ofSeconds(20));
            assertThat(failure.get()).isNotNull();
            assertThat(failure.get().getReason()).isEqualTo(LockAcquisitionException.Reason.INTERRUPTED);
            assertThat(failure.get()).hasMessageContaining(this.key);
            assertThat(flagKept.get()).as("interrupt flag kept").isTrue();
            assertThat(first.isHeld()).as("the holder is untouched").isTrue();
        }
        finally {
            first.close();
        }
        assertThat(template.localGateCount()).as("the interrupted thread left the gate").isZero();
        assertThat(newProcess().tryAcquire(this.key).acquired()).as("released, not handed to the thread that left")
            .isTrue();
    }

    @Test
    void aLocalThreadHandedTheLockHoldsItWithTheLeaseItAskedFor() throws Exception {
        LockStore store = track(newStore());
        LockTemplate template = track(new LockTemplate(store, LockOptions.defaults().withExpires(Duration.ofSeconds(60))));
        LockHandle first = template.lock(this.key);
        AtomicReference<Duration> storeLease = new AtomicReference<>();
        AtomicReference<Duration> heldLease = new AtomicReference<>();
        Thread second = new Thread(() -> {
            try (LockHandle handle = template.lock(this.key, template.defaults().withExpires(Duration.ofSeconds(5)))) {
                storeLease.set(store.inspect(this.key).orElseThrow().leaseLeft());
                heldLease.set(template.heldLocks().get(0).leaseLeft());
            }
        });
        second.start();
        awaitUntil(() -> Integer.valueOf(1).equals(template.waitingThreads().get(this.key)) && parked(second));
        assertThat(first.release().message()).isEqualTo("Lock released key: " + this.key
                + " (handed to a waiting thread)");
        second.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(storeLease.get()).as("in the store: its own 5 s, not the 60 s of the thread before")
            .isPositive().isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(heldLease.get()).as("in this JVM").isPositive().isLessThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aHoldThatCannotStartInThisJvmIsReleasedInTheStoreBeforeTheErrorLeaves() {
        LockTemplate template = newProcess();
        template.setObserver(new LockObserver() {
            @Override
            public Holding holdStarted(LockStore store, String key, LockOptions options) {
                throw new IllegalStateException("observer broke");
            }
        });
        assertThatThrownBy(() -> template.lock(this.key)).isInstanceOf(IllegalStateException.class)
            .hasMessage("observer broke");
        assertThat(template.heldLocks()).isEmpty();
        assertThat(template.localGateCount()).isZero();
        assertThat(newProcess().tryAcquire(this.key).acquired()).as("not left held by nobody").isTrue();
    }

    @Test
    void aOneMillisecondLeaseIsAcceptedAndRunsOut() throws Exception {
        LockTemplate crashed = newProcess();
        LockTemplate other = newProcess();
        LockResult shortLived = crashed.acquire(this.key,
                LockOptions.defaults().withExpires(Duration.ofMillis(1)).withRenew(false));
        assertThat(shortLived.acquired()).isTrue();
        LockResult next = other.acquire(this.key, other.defaults().withTimeout(Duration.ofSeconds(10)));
        assertThat(next.acquired()).as("free again almost at once").isTrue();
        assertThat(next.fencingToken()).isGreaterThan(shortLived.fencingToken());
    }

    @Test
    void aKeyOfExactlyTheMaximumLengthLocksAndOneCharacterMoreIsRefused() {
        LockTemplate template = newProcess();
        String longest = this.key + "x".repeat(Keys.MAX_LENGTH - this.key.length());
        assertThat(longest).hasSize(1024);
        assertThat(template.tryAcquire(longest).acquired()).isTrue();
        assertThat(newProcess().tryAcquire(longest).acquired()).as("excludes another process").isFalse();
        assertThat(template.release(longest).released()).isTrue();
        assertThatThrownBy(() -> template.tryAcquire(longest + "x")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at most 1024 characters")
            .hasMessageContaining("has 1025");
    }

    @Test
    void aLoneBraceIsAKeyLikeAnyOther() {
        LockTemplate template = newProcess();
        LockTemplate other = newProcess();
        for (String brace : List.of("{", "}")) {
            assertThat(template.tryAcquire(brace).acquired()).as(brace).isTrue();
            assertThat(other.tryAcquire(brace).acquired()).as("%s excludes another process", brace).isFalse();
            assertThat(template.release(brace).released()).as(brace).isTrue();
            assertThat(other.tryAcquire(brace).acquired()).as("%s free once released", brace).isTrue();
            assertThat(other.release(brace).released()).as(brace).isTrue();
        }
    }

    /** A real store that remembers the owner token of the last acquisition sent through it. */
    private static final class OwnerTokenSeen extends ForwardingLockStore {

        volatile String token;

        OwnerTokenSeen(LockStore delegate) {
            super(delegate);
        }

        @Override
        public LockAttempt tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
            this.token = token;
            return super.tryAcquire(key, token, lease, retryWithin);
        }
    }

    /** A real store, with its acquisition attempts and renewals counted. */
    private static final class CountingStore extends ForwardingLockStore {

        final AtomicInteger attempts = new AtomicInteger();

        final AtomicInteger handOvers = new AtomicInteger();

        final AtomicInteger renewals = new AtomicInteger();

        CountingStore(LockStore delegate) {
            super(delegate);
        }

        // counted once the store has answered, so a count means the attempt has taken effect

        @Override
        public boolean renew(String key, String token, Duration lease) {
            boolean renewed = super.renew(key, token, lease);
            this.renewals.incrementAndGet();
            return renewed;
        }

        @Override
        public LockAttempt tryAcquire(String key, String token, Duration lease) {
            LockAttempt attempt = super.tryAcquire(key, token, lease);
            this.attempts.incrementAndGet();
            return attempt;
        }

        @Override
        public LockAttempt tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
            LockAttempt attempt = super.tryAcquire(key, token, lease, retryWithin);
            this.attempts.incrementAndGet();
            return attempt;
        }

        @Override
        public LockAttempt handOver(String key, String fromToken, String toToken, Duration lease,
                Duration retryWithin) {
            LockAttempt attempt = super.handOver(key, fromToken, toToken, lease, retryWithin);
            this.attempts.incrementAndGet();
            this.handOvers.incrementAndGet();
            return attempt;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
