package io.pielock.lock;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.test.CapturedLogs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renewals that cannot reach the store: a hold survives failures within its lease and is marked lost, saying why,
 * once the store has been out of reach for longer than the lease. And a closed template renews nothing. The store
 * is the real memory store behind a wrapper that fails the renewals a test asks it to.
 */
class LeaseRenewalFailuresTest {

    private final InMemoryLockStore real = new InMemoryLockStore();

    @Test
    void aHoldWhoseRenewalsFailForLongerThanTheLeaseIsMarkedLostSayingTheStoreWasOutOfReach() throws Exception {
        FailingRenewals store = new FailingRenewals(this.real, Integer.MAX_VALUE);
        try (LockTemplate template = new LockTemplate(store,
                LockOptions.defaults().withExpires(Duration.ofMillis(600)));
                CapturedLogs logs = CapturedLogs.capture()) {
            LockHandle handle = template.lock("out-of-reach");
            awaitUntil(() -> logs.text().contains("Lost lock key: out-of-reach"));
            ReleaseResult release = handle.release();
            assertThat(release.released()).isFalse();
            assertThat(release.message()).contains("out-of-reach")
                .contains("could not be reached for longer than the lease")
                .contains("renewal failed");
        }
    }

    @Test
    void aHoldSurvivesRenewalsThatFailWithinItsLease() throws Exception {
        // renewed about every 400 ms: the first renewal fails, the next ones reach the store
        FailingRenewals store = new FailingRenewals(this.real, 1);
        try (LockTemplate template = new LockTemplate(store,
                LockOptions.defaults().withExpires(Duration.ofMillis(1200)))) {
            LockHandle handle = template.lock("briefly-out-of-reach");
            awaitUntil(() -> store.renewals.get() >= 4);
            assertThat(handle.isHeld()).as("held after a failed and three good renewals").isTrue();
            assertThat(this.real.tryAcquire("briefly-out-of-reach", "someone-else", Duration.ofSeconds(1))
                .acquired()).as("still held in the store").isFalse();
            assertThat(handle.release().released()).isTrue();
        }
    }

    @Test
    void closingTheTemplateWaitsForARenewalInFlight() throws Exception {
        java.util.concurrent.CountDownLatch renewing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean renewed = new java.util.concurrent.atomic.AtomicBoolean();
        LockStore slow = new ForwardingLockStore(this.real) {
            @Override
            public boolean renew(String key, String token, Duration lease) {
                renewing.countDown();
                AbstractLockTemplateContractTest.sleep(500); // a store call that takes a while
                boolean result = super.renew(key, token, lease);
                renewed.set(true);
                return result;
            }
        };
        LockTemplate template = new LockTemplate(slow, LockOptions.defaults().withExpires(Duration.ofMillis(300)));
        template.lock("closing");
        assertThat(renewing.await(20, TimeUnit.SECONDS)).as("a renewal under way").isTrue();
        template.close();
        assertThat(renewed).as("the renewal in flight finished before close returned").isTrue();
    }

    @Test
    void closingTheTemplateEndsItsRenewalThreadBeforeItReturns() throws Exception {
        Set<Thread> before = renewalThreads();
        LockTemplate template = new LockTemplate(this.real);
        Set<Thread> started = renewalThreads();
        started.removeAll(before);
        assertThat(started).as("the template's renewal thread").hasSize(1);
        Thread renewal = started.iterator().next();
        assertThat(template.lock("renewed-until-close").release().released()).isTrue();
        // close only once the thread sleeps until a renewal is due (seconds away): while it is still awake from the
        // lock's wake-up call it would see the template closed at its next turn anyway
        awaitUntil(() -> renewal.getState() == Thread.State.TIMED_WAITING);
        template.close();
        assertThat(renewal.isAlive()).as("the renewal thread is still running after close returned").isFalse();
    }

    private static Set<Thread> renewalThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith("pielock-renewal-"))
            .collect(Collectors.toCollection(HashSet::new));
    }

    @Test
    void aClosedTemplateRenewsNothingAndItsHeldLocksRunOutByTheirLease() throws Exception {
        FailingRenewals store = new FailingRenewals(this.real, 0);
        LockTemplate template = new LockTemplate(store, LockOptions.defaults().withExpires(Duration.ofMillis(300)));
        template.lock("closed");
        awaitUntil(() -> store.renewals.get() >= 1);
        template.close();
        int atClose = store.renewals.get();
        Thread.sleep(700); // seven renewal intervals
        assertThat(store.renewals.get()).as("renewals after close").isEqualTo(atClose);
        assertThat(this.real.tryAcquire("closed", "someone-else", Duration.ofSeconds(1)).acquired())
            .as("run out by its lease").isTrue();
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 20 s").isLessThan(giveUp);
            Thread.sleep(5);
        }
    }

    /** Fails the first {@code failures} renewals as an unreachable store would; counts every renewal. */
    private static final class FailingRenewals extends ForwardingLockStore {

        final AtomicInteger renewals = new AtomicInteger();

        private final int failures;

        FailingRenewals(LockStore delegate, int failures) {
            super(delegate);
            this.failures = failures;
        }

        @Override
        public boolean renew(String key, String token, Duration lease) {
            if (this.renewals.incrementAndGet() <= this.failures) {
                throw new DataAccessResourceFailureException("renewal failed");
            }
            return super.renew(key, token, lease);
        }
    }
}
