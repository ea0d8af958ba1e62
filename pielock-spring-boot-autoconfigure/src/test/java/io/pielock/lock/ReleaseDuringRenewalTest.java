package io.pielock.lock;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.test.CapturedLogs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hold released by its owner while its background renewal is in flight: the renewal then finds the lock gone,
 * which must not be taken for a lost lease. The store holds the renewal until the release has happened, so the
 * interleaving is the same on every run.
 */
class ReleaseDuringRenewalTest {

    @Test
    void aHoldReleasedWhileItsRenewalRunsIsNeitherMarkedNorLoggedLost() throws Exception {
        RenewalHeldUntilRelease store = new RenewalHeldUntilRelease(new InMemoryLockStore());
        // the first renewal starts after 1 s; the release follows at once, with 2 s of lease to spare
        LockTemplate template = new LockTemplate(store, LockOptions.defaults().withExpires(Duration.ofSeconds(3)));
        try (CapturedLogs logs = CapturedLogs.capture()) {
            LockHandle handle = template.lock("released-mid-renewal");
            assertThat(store.renewalStarted.await(10, TimeUnit.SECONDS)).as("a renewal began").isTrue();

            ReleaseResult release = handle.release();
            assertThat(store.renewalFinished.await(10, TimeUnit.SECONDS)).as("the renewal ran after the release")
                .isTrue();
            template.close(); // waits for the renewal's own bookkeeping

            assertThat(release.released()).as(release.message()).isTrue();
            assertThat(store.renewalAnswer).as("the renewal found the lock gone").isFalse();
            assertThat(logs.text()).doesNotContain("Lost lock");
        }
    }

    @Test
    void aLeaseLostWhileHeldIsStillLoggedAndReported() throws Exception {
        InMemoryLockStore real = new InMemoryLockStore();
        TokenSeen store = new TokenSeen(real);
        LockTemplate template = new LockTemplate(store, LockOptions.defaults().withExpires(Duration.ofMillis(300)));
        try (CapturedLogs logs = CapturedLogs.capture()) {
            LockHandle handle = template.lock("lost-while-held");
            // another owner takes the key in the store: the next renewal must find it lost
            assertThat(real.release("lost-while-held", store.token)).isTrue();
            assertThat(real.tryAcquire("lost-while-held", "someone-else", Duration.ofSeconds(30)).acquired())
                .isTrue();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!logs.text().contains("Lost lock key: lost-while-held") && System.nanoTime() < giveUp) {
                Thread.sleep(10);
            }
            assertThat(logs.text()).contains("Lost lock key: lost-while-held");
            assertThat(handle.release().released()).isFalse();
        }
        finally {
            template.close();
        }
    }

    /** Remembers the owner token of the last acquisition. */
    private static final class TokenSeen extends ForwardingLockStore {

        volatile String token;

        TokenSeen(LockStore delegate) {
            super(delegate);
        }

        @Override
        public LockAttempt tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
            this.token = token;
            return super.tryAcquire(key, token, lease, retryWithin);
        }
    }

    /** Holds the first renewal until the lock has been released, then lets it run against the real store. */
    private static final class RenewalHeldUntilRelease extends ForwardingLockStore {

        final CountDownLatch renewalStarted = new CountDownLatch(1);

        final CountDownLatch released = new CountDownLatch(1);

        final CountDownLatch renewalFinished = new CountDownLatch(1);

        volatile Boolean renewalAnswer;

        RenewalHeldUntilRelease(LockStore delegate) {
            super(delegate);
        }

        @Override
        public boolean renew(String key, String token, Duration lease) {
            if (this.renewalFinished.getCount() == 0) {
                return super.renew(key, token, lease);
            }
            this.renewalStarted.countDown();
            try {
                this.released.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            boolean answer = super.renew(key, token, lease);
            this.renewalAnswer = answer;
            this.renewalFinished.countDown();
            return answer;
        }

        @Override
        public boolean release(String key, String token) {
            boolean answer = super.release(key, token);
            this.released.countDown();
            return answer;
        }
    }
}
