package io.pielock.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;

import io.pielock.limiter.KeyedLimits;
import io.pielock.limiter.Limit;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.RateLimitStore;
import io.pielock.limiter.TimeUnit;
import io.pielock.lock.ForwardingLockStore;
import io.pielock.lock.LockAttempt;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockStore;
import io.pielock.lock.LockTemplate;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the templates report to Micrometer, the same for every store: observation names, outcomes, the
 * {@code name} and {@code store} tags, the key as a high-cardinality value only, and the lock meters. Subclassed
 * once per store, as the lock and limiter specifications are.
 */
abstract class AbstractObservationContractTest {

    private final List<AutoCloseable> closeables = new ArrayList<>();

    protected final TestObservationRegistry observations = TestObservationRegistry.create();

    protected final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    protected String key;

    /** @return a lock store as another application instance would see it */
    protected abstract LockStore newLockStore();

    /** @return a rate limit store */
    protected abstract RateLimitStore newRateLimitStore();

    /** @return the {@code store} tag the stores carry */
    protected abstract String storeTag();

    @BeforeEach
    void uniqueKey() {
        this.key = "user:" + UUID.randomUUID();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = this.closeables.size() - 1; i >= 0; i--) {
            this.closeables.get(i).close();
        }
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

    /** @return a template observed by this test's registries (one "process") */
    protected LockTemplate observedTemplate(LockOptions defaults) {
        LockStore store = newLockStore();
        LockTemplate template = new LockTemplate(store, defaults);
        this.closeables.add(template);
        track(store);
        LockObservations observer = new LockObservations(this.observations);
        observer.bindTo(this.meters);
        template.setObserver(observer);
        return template;
    }

    protected LockTemplate observedTemplate() {
        return observedTemplate(LockOptions.defaults());
    }

    /** @return a template nobody observes, standing for another process */
    protected LockTemplate otherProcess() {
        LockStore store = newLockStore();
        LockTemplate template = new LockTemplate(store);
        this.closeables.add(template);
        track(store);
        return template;
    }

    protected Limiter observedLimiter(RateLimitStore store, boolean failOpen) {
        Limiter limiter = new Limiter(track(store), failOpen);
        limiter.setObserver(new LimiterObservations(this.observations));
        return limiter;
    }

    @Test
    void anAcquisitionIsOneObservationNamedProgrammaticByDefaultWithTheKeyOnlyAsHighCardinality() {
        LockTemplate template = observedTemplate();
        template.run(this.key, () -> { });
        assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("pielock.lock.acquire", 1)
            .hasObservationWithNameEqualTo("pielock.lock.acquire")
            .that()
            .hasBeenStarted()
            .hasBeenStopped()
            .hasContextualNameEqualTo("lock acquire")
            .hasLowCardinalityKeyValue("outcome", "acquired")
            .hasLowCardinalityKeyValue("mode", "wait")
            .hasLowCardinalityKeyValue("store", storeTag())
            .hasLowCardinalityKeyValue("name", "programmatic")
            .hasHighCardinalityKeyValue("key", this.key)
            .doesNotHaveLowCardinalityKeyValueWithKey("key");
    }

    @Test
    void theNameGivenInLockOptionsIsTheNameTag() {
        LockTemplate template = observedTemplate();
        template.run(this.key, LockOptions.defaults().withName("nightly-report"), () -> { });
        assertThat(this.observations).hasObservationWithNameEqualTo("pielock.lock.acquire")
            .that()
            .hasLowCardinalityKeyValue("name", "nightly-report");
        assertThat(this.observations).hasObservationWithNameEqualTo("pielock.lock.held")
            .that()
            .hasLowCardinalityKeyValue("name", "nightly-report");
    }

    @Test
    void aLockHeldElsewhereIsOneTryOnceObservationWithOutcomeHeldElsewhere() {
        otherProcess().lock(this.key);
        LockTemplate template = observedTemplate();
        assertThat(template.tryAcquire(this.key).acquired()).isFalse();
        assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("pielock.lock.acquire", 1)
            .hasObservationWithNameEqualTo("pielock.lock.acquire")
            .that()
            .hasLowCardinalityKeyValue("outcome", "held-elsewhere")
            .hasLowCardinalityKeyValue("mode", "try-once");
        assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("pielock.lock.held", 0);
    }

    @Test
    void waitingOutTheTimeoutIsOutcomeTimeoutAndTriesAreOutcomeTriesExhausted() {
        otherProcess().lock(this.key);
        LockTemplate template = observedTemplate();
        LockOptions quick = LockOptions.defaults().withTimeout(Duration.ofMillis(150))
            .withRetryAfter(Duration.ofMillis(50));
        assertThat(template.acquire(this.key, quick).acquired()).isFalse();
        assertThat(template.acquire(this.key, quick.withTimeout(Duration.ofSeconds(30)).withTries(2)).acquired())
            .isFalse();
        assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("pielock.lock.acquire", 2)
            .hasAnObservation(o -> o.hasLowCardinalityKeyValue("outcome", "timeout")
                .hasLowCardinalityKeyValue("mode", "wait"))
            .hasAnObservation(o -> o.hasLowCardinalityKeyValue("outcome", "tries-exhausted"));
    }

    @Test
    void aNonReentrantAcquisitionOfALockThisThreadHoldsIsOutcomeAlreadyHeld() {
        LockTemplate template = observedTemplate();
        try (LockHandle held = template.lock(this.key)) {
            assertThat(template.acquire(this.key, LockOptions.defaults().withReentrant(false)).acquired()).isFalse();
        }
        assertThat(this.observations).hasAnObservation(o -> o.hasNameEqualTo("pielock.lock.acquire")
            .hasLowCardinalityKeyValue("outcome", "already-held"));
    }

    @Test
    void aHoldIsOneObservationFromAcquisitionToReleaseWhateverItsReentrantAcquisitions() {
        LockTemplate template = observedTemplate();
        try (LockHandle outer = template.lock(this.key)) {
            template.run(this.key, () -> { });
            assertThat(this.observations).hasObservationWithNameEqualTo("pielock.lock.held")
                .that()
                .hasBeenStarted()
                .isNotStopped();
        }
        assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("pielock.lock.acquire", 2)
            .hasNumberOfObservationsWithNameEqualTo("pielock.lock.held", 1)
            .hasObservationWithNameEqualTo("pielock.lock.held")
            .that()
            .hasBeenStopped()
            .hasLowCardinalityKeyValue("released", "released")
            .hasLowCardinalityKeyValue("store", storeTag())
            .hasLowCardinalityKeyValue("name", "programmatic")
            .hasHighCardinalityKeyValue("key", this.key)
            .doesNotHaveLowCardinalityKeyValueWithKey("key");
    }

    @Test
    void aLeaseThatRanOutBeforeTheReleaseEndsTheHoldAsLeaseLostAndIsCounted() throws Exception {
        LockTemplate template = observedTemplate(
                LockOptions.defaults().withExpires(Duration.ofMillis(100)).withRenew(false));
        LockHandle handle = template.lock(this.key);
        Thread.sleep(300);
        assertThat(handle.release().released()).isFalse();
        assertThat(this.observations).hasObservationWithNameEqualTo("pielock.lock.held")
            .that()
            .hasLowCardinalityKeyValue("released", "lease-lost");
        assertThat(this.meters.get("pielock.lock.lease.lost").functionCounter().count()).isEqualTo(1);
    }

    @Test
    void aRenewalThatFindsTheLockTakenCountsAsFailedAndTheLeaseAsLost() throws Exception {
        AtomicReference<String> ownerToken = new AtomicReference<>();
        LockStore store = new ForwardingLockStore(track(newLockStore())) {
            @Override
            public LockAttempt tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
                ownerToken.set(token);
                return super.tryAcquire(key, token, lease, retryWithin);
            }
        };
        LockTemplate template = track(new LockTemplate(store, LockOptions.defaults().withExpires(Duration.ofSeconds(3))));
        LockObservations observer = new LockObservations(this.observations);
        observer.bindTo(this.meters);
        template.setObserver(observer);
        LockHandle handle = template.lock(this.key);
        LockStore elsewhere = track(newLockStore());
        assertThat(elsewhere.release(this.key, ownerToken.get())).isTrue();
        assertThat(elsewhere.tryAcquire(this.key, "another-owner", Duration.ofSeconds(30)).acquired()).isTrue();

        await(() -> !handle.isHeld(), "the renewal finds the lock taken"); // renewed a second in

        assertThat(renewals("failed")).isEqualTo(1);
        assertThat(renewals("renewed")).isZero();
        assertThat(this.meters.get("pielock.lock.lease.lost").functionCounter().count()).isEqualTo(1);
        assertThat(handle.release().released()).isFalse();
        elsewhere.release(this.key, "another-owner");
    }

    @Test
    void aRenewalTheStoreCannotTakeCountsAsFailed() {
        AtomicInteger refused = new AtomicInteger();
        LockStore store = new ForwardingLockStore(track(newLockStore())) {
            @Override
            public boolean renew(String key, String token, Duration lease) {
                refused.incrementAndGet();
                throw new IllegalStateException("store unreachable (test)");
            }
        };
        // renewed every 500 ms
        LockTemplate template = track(
                new LockTemplate(store, LockOptions.defaults().withExpires(Duration.ofMillis(1500))));
        LockObservations observer = new LockObservations(this.observations);
        observer.bindTo(this.meters);
        template.setObserver(observer);
        LockHandle handle = template.lock(this.key);

        await(() -> refused.get() >= 1, "a renewal the store refuses");
        await(() -> renewals("failed") >= 1, "the failed renewal counted");

        assertThat(renewals("renewed")).isZero();
        handle.release();
    }

    @Test
    void renewalsAreCounted() {
        // renewed every third of the lease, which is long enough for a late renewal on a busy machine
        LockTemplate template = observedTemplate(LockOptions.defaults().withExpires(Duration.ofMillis(1500)));
        try (LockHandle handle = template.lock(this.key)) {
            await(() -> renewals("renewed") >= 2, "two renewals");
            assertThat(handle.isHeld()).isTrue();
        }
        assertThat(renewals("failed")).isZero();
        assertThat(this.meters.get("pielock.lock.lease.lost").functionCounter().count()).isZero();
    }

    @Test
    void aHoldPassedToAWaitingThreadOfThisJvmEndsAsReleasedAndTheNextHoldIsObservedAfresh() throws Exception {
        LockTemplate template = observedTemplate();
        LockHandle handle = template.lock(this.key);
        Thread waiter = new Thread(() -> template.run(this.key, () -> { }));
        waiter.start();
        await(() -> gauge("pielock.lock.waiting") == 1 && parked(waiter), "one thread waiting");
        handle.close(); // passed to the waiting thread in the store, not released there
        waiter.join(10_000);
        assertHoldsEndedReleased(2);
    }

    @Test
    void aHoldLetGoForAWaiterInAnotherProcessWhileThreadsWaitHereEndsAsReleased() throws Exception {
        LockTemplate template = observedTemplate();
        AtomicInteger attemptsElsewhere = new AtomicInteger();
        LockStore storeElsewhere = new ForwardingLockStore(track(newLockStore())) {
            @Override
            public LockAttempt tryAcquire(String key, String token, Duration lease,
                    Duration retryWithin) {
                LockAttempt attempt = super.tryAcquire(key, token, lease, retryWithin);
                attemptsElsewhere.incrementAndGet();
                return attempt;
            }
        };
        LockTemplate elsewhere = track(new LockTemplate(storeElsewhere));
        LockHandle handle = template.lock(this.key);
        Thread remote = new Thread(() -> elsewhere.run(this.key, () -> { }));
        remote.start();
        // once its first attempt has found the lock held, the store knows that it waits
        await(() -> attemptsElsewhere.get() >= 1, "a waiter elsewhere");
        Thread local = new Thread(() -> template.run(this.key, () -> { }));
        local.start();
        await(() -> gauge("pielock.lock.waiting") == 1 && parked(local), "one thread waiting here");
        handle.close();
        remote.join(10_000);
        local.join(10_000);
        assertHoldsEndedReleased(2);
    }

    /** @return whether the thread is parked (counted as waiting a little before it parks at the gate) */
    private static boolean parked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    private void assertHoldsEndedReleased(int holds) {
        assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("pielock.lock.held", holds);
        assertThat(this.observations).forAllObservationsWithNameEqualTo("pielock.lock.held",
                observed -> observed.hasLowCardinalityKeyValue("released", "released"));
    }

    @Test
    void theHeldGaugeShowsHoldsOfThisJvmAndTheWaitingGaugeThreadsWaiting() throws Exception {
        LockTemplate template = observedTemplate();
        assertThat(gauge("pielock.lock.held.active")).isZero();
        LockHandle handle = template.lock(this.key);
        assertThat(gauge("pielock.lock.held.active")).isEqualTo(1);
        CountDownLatch acquired = new CountDownLatch(1);
        Thread waiter = new Thread(() -> template.run(this.key, acquired::countDown));
        waiter.start();
        await(() -> gauge("pielock.lock.waiting") == 1, "one thread waiting");
        handle.close();
        assertThat(acquired.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        waiter.join(10_000);
        assertThat(gauge("pielock.lock.waiting")).isZero();
        assertThat(gauge("pielock.lock.held.active")).isZero();
    }

    @Test
    void aDecisionIsOneObservationWithOutcomeStoreNameAndTheKeyOnlyAsHighCardinality() {
        Limiter limiter = observedLimiter(newRateLimitStore(), false);
        assertThat(limiter.allow(this.key, TimeUnit.MINUTE, 1).allowed()).isTrue();
        assertThat(limiter.allow(this.key, TimeUnit.MINUTE, 1, "search").allowed()).isFalse();
        assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("pielock.limiter.decision", 2)
            .forAllObservationsWithNameEqualTo("pielock.limiter.decision", o -> o
                .hasContextualNameEqualTo("rate limit decision")
                .hasLowCardinalityKeyValue("store", storeTag())
                .hasHighCardinalityKeyValue("key", this.key)
                .doesNotHaveLowCardinalityKeyValueWithKey("key"))
            .hasAnObservation(o -> o.hasLowCardinalityKeyValue("outcome", "allowed")
                .hasLowCardinalityKeyValue("name", "programmatic"))
            .hasAnObservation(o -> o.hasLowCardinalityKeyValue("outcome", "denied")
                .hasLowCardinalityKeyValue("name", "search"));
    }

    @Test
    void severalKeysAreOneDecisionWhoseKeyValueNamesThemAll() {
        Limiter limiter = observedLimiter(newRateLimitStore(), false);
        limiter.allow(List.of(KeyedLimits.of(this.key, Limit.of(5, TimeUnit.MINUTE)),
                KeyedLimits.of(this.key + ":global", Limit.of(5, TimeUnit.MINUTE))), "checkout");
        assertThat(this.observations).hasSingleObservationThat()
            .hasLowCardinalityKeyValue("outcome", "allowed")
            .hasLowCardinalityKeyValue("name", "checkout")
            .hasHighCardinalityKeyValue("key", this.key + "," + this.key + ":global");
    }

    private double renewals(String outcome) {
        return this.meters.get("pielock.lock.renewals").tag("outcome", outcome).functionCounter().count();
    }

    private double gauge(String name) {
        return this.meters.get(name).gauge().value();
    }

    protected static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within 10s: " + what);
            }
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
    }
}
