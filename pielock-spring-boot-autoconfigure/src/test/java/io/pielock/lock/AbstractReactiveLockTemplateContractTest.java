package io.pielock.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import io.pielock.lock.LockAcquisitionException.Reason;
import io.pielock.test.NonBlocking;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link ReactiveLockStore} must give {@link ReactiveLockTemplate}, with BlockHound
 * installed: a blocking call on a Reactor or Lettuce thread fails the test. Subclassed once per store (memory,
 * Redis, Redis Cluster). Each {@link #newProcess()} stands for one application instance, with a blocking and a
 * reactive face on the same store (for Redis its own connections).
 */
abstract class AbstractReactiveLockTemplateContractTest {

    /** Generous: the machine is shared and slow at times. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    protected String key;

    /** One application instance: its blocking and reactive stores share their state (and connections). */
    protected record Process(LockStore blocking, ReactiveLockStore reactive) {
    }

    /** @return the stores of a new application instance */
    protected abstract Process newStores();

    /** @return whether the store holds a lock for {@code key} now, read behind the templates' backs */
    protected abstract boolean heldInStore(String key);

    /**
     * @param prefix the start of the lock names used by a test
     * @return how many store entries (Redis keys of any kind) exist for names starting with it
     */
    protected abstract long entriesInStore(String prefix);

    /** Deletes the lock behind its holder's back, as an expiry or an operator would. */
    protected abstract void deleteBehindTheHoldersBack(ReactiveLockHandle handle);

    @BeforeAll
    static void installBlockHound() {
        NonBlocking.install();
    }

    @BeforeEach
    void uniqueKey() {
        this.key = "reactive:" + UUID.randomUUID();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = this.closeables.size() - 1; i >= 0; i--) {
            this.closeables.get(i).close();
        }
    }

    protected ReactiveLockTemplate newProcess() {
        return newProcess(LockOptions.defaults());
    }

    protected ReactiveLockTemplate newProcess(LockOptions defaults) {
        Process process = newStores();
        ReactiveLockTemplate template = new ReactiveLockTemplate(process.reactive(), defaults);
        this.closeables.add(template);
        track(process.reactive());
        track(process.blocking());
        this.lastBlocking = new LockTemplate(process.blocking(), defaults);
        this.closeables.add(this.lastBlocking);
        return template;
    }

    /** The blocking template of the process {@link #newProcess()} made last (same stores, same connections). */
    private LockTemplate lastBlocking;

    protected LockTemplate blockingOfLastProcess() {
        return this.lastBlocking;
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
    void theLockIsHeldUntilThePendingMonoCompletes() {
        ReactiveLockTemplate first = newProcess();
        ReactiveLockTemplate second = newProcess();
        Sinks.One<String> work = Sinks.one();
        AtomicInteger entered = new AtomicInteger();
        StepVerifier.create(first.execute(this.key, Mono.defer(() -> {
            entered.incrementAndGet();
            return work.asMono();
        })))
            .then(() -> await(() -> entered.get() == 1, "the action runs"))
            .then(() -> {
                assertThat(second.tryAcquire(this.key).blockOptional(PATIENCE)).as("held while pending").isEmpty();
                assertThat(first.tryAcquire(this.key).blockOptional(PATIENCE))
                    .as("another subscription of the same template, outside the chain, cannot enter either")
                    .isEmpty();
                work.tryEmitValue("done");
            })
            .expectNext("done")
            .expectComplete()
            .verify(PATIENCE);
        assertFreeFor(second);
    }

    @Test
    void aSecondSubscriberWaitsForTheFirstAndEntersAfterIt() {
        ReactiveLockTemplate template = newProcess();
        Sinks.One<String> work = Sinks.one();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        Mono<String> guarded = Mono.defer(() -> {
            if (inside.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            return work.asMono();
        }).doOnTerminate(inside::decrementAndGet); // before the release, unlike doFinally
        Disposable firstCall = template.execute(this.key, guarded).subscribe();
        await(() -> inside.get() == 1, "the first is inside");
        Mono<String> second = template.execute(this.key, Mono.fromSupplier(() -> {
            if (inside.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            inside.decrementAndGet();
            return "second";
        }));
        StepVerifier.create(second)
            .then(() -> work.tryEmitValue("first"))
            .expectNext("second")
            .expectComplete()
            .verify(PATIENCE);
        assertThat(overlaps).hasValue(0);
        firstCall.dispose();
    }

    @Test
    void releasedWhenTheActionSucceeds() {
        ReactiveLockTemplate template = newProcess();
        StepVerifier.create(template.execute(this.key, Mono.just(42))).expectNext(42).expectComplete()
            .verify(PATIENCE);
        assertFreeFor(newProcess());
        awaitNothingTracked(template);
    }

    @Test
    void releasedWhenTheActionFails() {
        ReactiveLockTemplate template = newProcess();
        StepVerifier.create(template.execute(this.key, Mono.error(new IllegalStateException("boom"))))
            .expectErrorMessage("boom")
            .verify(PATIENCE);
        assertFreeFor(newProcess());
        awaitNothingTracked(template);
    }

    @Test
    void releasedWhenTheSubscriptionIsCancelled() {
        ReactiveLockTemplate template = newProcess();
        AtomicInteger entered = new AtomicInteger();
        Disposable call = template.execute(this.key, Mono.defer(() -> {
            entered.incrementAndGet();
            return Mono.never();
        })).subscribe();
        await(() -> entered.get() == 1, "the action runs");
        assertThat(heldInStore(this.key)).isTrue();
        call.dispose();
        await(() -> !heldInStore(this.key), "released after dispose()");
        assertFreeFor(newProcess());
        awaitNothingTracked(template);
    }

    @Test
    void aFluxHoldsTheLockUntilItsLastElement() {
        ReactiveLockTemplate template = newProcess();
        ReactiveLockTemplate other = newProcess();
        List<Boolean> heldDuring = new CopyOnWriteArrayList<>();
        Flux<Integer> elements = Flux.range(1, 3)
            .concatMap(i -> Mono.fromCallable(() -> heldInStore(this.key)).subscribeOn(Schedulers.boundedElastic())
                .doOnNext(heldDuring::add).thenReturn(i));
        StepVerifier.create(template.execute(this.key, elements)).expectNext(1, 2, 3).expectComplete()
            .verify(PATIENCE);
        assertThat(heldDuring).containsExactly(true, true, true);
        assertFreeFor(other);
    }

    @Test
    void aThousandCancelledWaitersLeaveNothingBehind() {
        ReactiveLockTemplate holder = newProcess();
        ReactiveLockTemplate waiters = newProcess(LockOptions.defaults().withExpires(Duration.ofSeconds(2))
            .withRetryAfter(Duration.ofMillis(200)));
        ReactiveLockHandle held = holder.lock(this.key).block(PATIENCE);
        List<Disposable> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(waiters.execute(this.key, Mono.just(i)).subscribe());
        }
        calls.forEach(Disposable::dispose);
        awaitNothingTracked(waiters);
        assertThat(held.release().block(PATIENCE).released()).isTrue();
        assertThat(heldInStore(this.key)).isFalse();
        awaitNothingTracked(holder);
    }

    @Test
    void aThousandCallsCancelledAtAnyMomentLeaveNoLockBehind() {
        ReactiveLockTemplate template = newProcess(LockOptions.defaults().withExpires(Duration.ofSeconds(2)));
        for (int i = 0; i < 1000; i++) {
            String name = this.key + ":" + (i % 10);
            Disposable call = template.execute(name, Mono.delay(Duration.ofMillis(1)).thenReturn(i)).subscribe();
            if (i % 3 == 0) {
                Thread.onSpinWait();
            }
            call.dispose();
        }
        awaitNothingTracked(template);
        for (int i = 0; i < 10; i++) {
            assertThat(heldInStore(this.key + ":" + i)).as("lock %d", i).isFalse();
        }
        // fencing counters and waiter marks expire with their lease
        await(() -> entriesInStore(this.key) == 0, "nothing left in the store once the leases have passed");
    }

    @Test
    void aWaiterIsWokenByTheReleaseLongBeforeRetryAfter() {
        ReactiveLockTemplate holder = newProcess();
        ReactiveLockTemplate waiter = newProcess(LockOptions.defaults().withRetryAfter(Duration.ofSeconds(30)));
        ReactiveLockHandle held = holder.lock(this.key).block(PATIENCE);
        // prime the waiter's release subscription, as a running application would have
        waiter.lock(this.key, waiter.defaults().withTimeout(Duration.ofMillis(500))).onErrorResume(ex -> Mono.empty())
            .block(PATIENCE);
        AtomicLong acquiredAt = new AtomicLong();
        Disposable waiting = waiter.execute(this.key, Mono.fromRunnable(() -> acquiredAt.set(System.nanoTime())))
            .subscribe();
        sleep(300);
        assertThat(acquiredAt).hasValue(0);
        long releasedAt = System.nanoTime();
        held.release().block(PATIENCE);
        await(() -> acquiredAt.get() != 0, "the waiter enters");
        assertThat(Duration.ofNanos(acquiredAt.get() - releasedAt)).as("woken by the release, not the 30 s poll")
            .isLessThan(Duration.ofSeconds(10));
        waiting.dispose();
    }

    @Test
    void aTimeoutIsAnErrorSignalNamingTheKeyAndReason() {
        ReactiveLockTemplate holder = newProcess();
        ReactiveLockTemplate other = newProcess();
        holder.lock(this.key).block(PATIENCE);
        Mono<Integer> call = other.execute(this.key, other.defaults().withTimeout(Duration.ofMillis(300))
            .withRetryAfter(Duration.ofMillis(50)), Mono.just(1));
        StepVerifier.create(call)
            .expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(LockAcquisitionException.class,
                    failure -> assertThat(failure.getReason()).isEqualTo(Reason.TIMEOUT))
                .hasMessageContaining(this.key)
                .hasMessageContaining("timed out waiting for the holder to release it (waited 300ms; the wait is "
                        + "the timeout attribute or pielock.lock.timeout)"))
            .verify(PATIENCE);
    }

    @Test
    void exhaustedTriesAreAnErrorSignalWithTheSameMessageAsTheBlockingTemplate() {
        ReactiveLockTemplate holder = newProcess();
        ReactiveLockTemplate other = newProcess();
        holder.lock(this.key).block(PATIENCE);
        LockOptions threeTries = other.defaults().withTries(3).withRetryAfter(Duration.ofMillis(10));
        String blockingMessage = catchMessage(() -> blockingOfLastProcess().lock(this.key, threeTries));
        StepVerifier.create(other.lock(this.key, threeTries))
            .expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(LockAcquisitionException.class,
                    failure -> assertThat(failure.getReason()).isEqualTo(Reason.TRIES_EXHAUSTED))
                .hasMessage(blockingMessage)
                .hasMessageContaining("every try found it held (3 tries, one every 10ms; set by tries and "
                        + "retryAfter, or pielock.lock.tries and pielock.lock.retry-after)"))
            .verify(PATIENCE);
    }

    @Test
    void triesBoundTheWaitBehindASubscriberOfTheSameTemplate() {
        ReactiveLockTemplate template = newProcess();
        ReactiveLockHandle held = template.lock(this.key).block(PATIENCE);
        LockOptions twoTries = template.defaults().withTries(2).withRetryAfter(Duration.ofMillis(100))
            .withTimeout(Duration.ofSeconds(60));
        long start = System.nanoTime();
        StepVerifier.create(template.lock(this.key, twoTries))
            .expectErrorSatisfies(ex -> assertThat(((LockAcquisitionException) ex).getReason())
                .isEqualTo(Reason.TRIES_EXHAUSTED))
            .verify(PATIENCE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("about one retryAfter, not the 60 s timeout")
            .isLessThan(Duration.ofSeconds(20));
        held.release().block(PATIENCE);
        awaitNothingTracked(template);
    }

    @Test
    void nothingIsAcquiredOrThrownAtAssembly() {
        ReactiveLockTemplate holder = newProcess();
        holder.lock(this.key).block(PATIENCE);
        ReactiveLockTemplate other = newProcess();
        Mono<Integer> assembled = other.execute(this.key, other.defaults().withTimeout(Duration.ZERO), Mono.just(1));
        Mono<ReactiveLockHandle> invalid = other.lock("");
        assertThat(heldInStore(this.key)).isTrue();
        StepVerifier.create(assembled).expectError(LockAcquisitionException.class).verify(PATIENCE);
        StepVerifier.create(invalid).expectError(IllegalArgumentException.class).verify(PATIENCE);
    }

    @Test
    void tryAcquireCompletesEmptyWhenHeldAndGivesAHandleWhenFree() {
        ReactiveLockTemplate holder = newProcess();
        ReactiveLockTemplate other = newProcess(LockOptions.defaults().withTimeout(Duration.ofMinutes(5)));
        ReactiveLockHandle held = holder.tryAcquire(this.key).block(PATIENCE);
        assertThat(held).isNotNull();
        long start = System.nanoTime();
        StepVerifier.create(other.tryAcquire(this.key)).expectComplete().verify(PATIENCE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(held.release().block(PATIENCE).released()).isTrue();
        ReactiveLockHandle next = other.tryAcquire(this.key).block(PATIENCE);
        assertThat(next).isNotNull();
        assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
        next.release().block(PATIENCE);
    }

    @Test
    void aNestedExecuteOfTheSameKeyInTheChainIsReentrantAndReleasesOnlyAtTheOutermost() {
        ReactiveLockTemplate template = newProcess();
        ReactiveLockTemplate other = newProcess();
        Mono<List<Long>> nested = template.execute(this.key, ReactiveLockContext.current()
            .flatMap(outer -> template.execute(this.key, ReactiveLockContext.current(this.key)
                .map(inner -> List.of(outer.fencingToken(), inner.fencingToken())))
                .flatMap(tokens -> Mono.fromCallable(() -> heldInStore(this.key))
                    .subscribeOn(Schedulers.boundedElastic())
                    .map(stillHeld -> {
                        assertThat(stillHeld).as("still held after the inner execute").isTrue();
                        return tokens;
                    }))));
        List<Long> tokens = nested.block(PATIENCE);
        assertThat(tokens).hasSize(2);
        assertThat(tokens.get(1)).as("the inner hold is the outer one").isEqualTo(tokens.get(0));
        assertFreeFor(other);
        awaitNothingTracked(template);
    }

    @Test
    void aNestedNonReentrantExecuteFailsAtOnceWithAlreadyHeld() {
        ReactiveLockTemplate template = newProcess();
        LockOptions notReentrant = template.defaults().withReentrant(false).withTimeout(Duration.ofSeconds(60));
        long start = System.nanoTime();
        Mono<Integer> nested = template.execute(this.key,
                template.execute(this.key, notReentrant, Mono.just(1)));
        StepVerifier.create(nested)
            .expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(LockAcquisitionException.class,
                    failure -> assertThat(failure.getReason()).isEqualTo(Reason.ALREADY_HELD))
                .hasMessageContaining(this.key))
            .verify(PATIENCE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("at once, not after the 60 s timeout")
            .isLessThan(Duration.ofSeconds(20));
        assertFreeFor(newProcess());
    }

    @Test
    void theContextIsEmptyOutsideAGuardedChain() {
        StepVerifier.create(ReactiveLockContext.current()).expectComplete().verify(PATIENCE);
        ReactiveLockTemplate template = newProcess();
        StepVerifier.create(template.execute(this.key, ReactiveLockContext.current("another:" + this.key)))
            .expectComplete()
            .verify(PATIENCE);
    }

    @Test
    void fencingTokensStrictlyIncrease() {
        ReactiveLockTemplate template = newProcess();
        long last = 0;
        for (int i = 0; i < 20; i++) {
            long token = template.execute(this.key, ReactiveLockContext.current().map(ReactiveLockHandle::fencingToken))
                .block(PATIENCE);
            assertThat(token).isGreaterThan(last);
            last = token;
        }
    }

    @Test
    void blockingAndReactiveHoldersNeverOverlapAndShareOneFencingSequence() throws Exception {
        ReactiveLockTemplate reactive = newProcess(LockOptions.defaults().withRetryAfter(Duration.ofMillis(50)));
        LockTemplate blocking = blockingOfLastProcess();
        ReactiveLockTemplate otherReactive = newProcess(LockOptions.defaults().withRetryAfter(Duration.ofMillis(50)));
        LockTemplate otherBlocking = blockingOfLastProcess();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Long> tokens = new CopyOnWriteArrayList<>();
        int rounds = 25;
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> blockingCalls = new ArrayList<>();
            for (LockTemplate template : List.of(blocking, otherBlocking)) {
                blockingCalls.add(threads.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        template.run(this.key, () -> {
                            enter(inside, overlaps);
                            tokens.add(LockContext.current().fencingToken());
                            Thread.yield();
                            inside.decrementAndGet();
                        });
                    }
                }));
            }
            Flux<Long> reactiveCalls = Flux.range(0, rounds * 2)
                .flatMap(i -> ((i % 2 == 0) ? reactive : otherReactive).execute(this.key,
                        ReactiveLockContext.current().map(handle -> {
                            enter(inside, overlaps);
                            tokens.add(handle.fencingToken());
                            return handle.fencingToken();
                        }).delayElement(Duration.ofMillis(1)).doOnNext(token -> inside.decrementAndGet())), 4);
            assertThat(reactiveCalls.collectList().block(Duration.ofSeconds(120))).hasSize(rounds * 2);
            for (Future<?> call : blockingCalls) {
                call.get(120, TimeUnit.SECONDS);
            }
        }
        finally {
            threads.shutdownNow();
        }
        assertThat(overlaps).hasValue(0);
        assertThat(tokens).hasSize(rounds * 4).doesNotHaveDuplicates();
    }

    @Test
    void fencingTokensRiseAcrossBlockingAndReactiveHolders() {
        ReactiveLockTemplate reactive = newProcess();
        LockTemplate blocking = blockingOfLastProcess();
        long first;
        try (LockHandle handle = blocking.lock(this.key)) {
            first = handle.fencingToken();
        }
        long second = reactive.execute(this.key, ReactiveLockContext.current().map(ReactiveLockHandle::fencingToken))
            .block(PATIENCE);
        long third;
        try (LockHandle handle = blocking.lock(this.key)) {
            third = handle.fencingToken();
        }
        assertThat(second).isGreaterThan(first);
        assertThat(third).isGreaterThan(second);
    }

    @Test
    void aBlockingHolderKeepsAReactiveCallerOutAndLetsItInOnRelease() {
        ReactiveLockTemplate reactive = newProcess(LockOptions.defaults().withRetryAfter(Duration.ofSeconds(30)));
        LockTemplate blocking = blockingOfLastProcess();
        LockHandle held = blocking.lock(this.key);
        assertThat(reactive.tryAcquire(this.key).blockOptional(PATIENCE)).isEmpty();
        AtomicInteger entered = new AtomicInteger();
        Disposable call = reactive.execute(this.key, Mono.fromRunnable(entered::incrementAndGet)).subscribe();
        sleep(300);
        assertThat(entered).hasValue(0);
        held.close();
        await(() -> entered.get() == 1, "the reactive caller enters once the blocking holder let go");
        call.dispose();
    }

    @Test
    void renewalKeepsTheLockPastItsLeaseWhileALongMonoRunsAndStopsAfterRelease() {
        Duration lease = Duration.ofSeconds(2);
        ReactiveLockTemplate template = newProcess(LockOptions.defaults().withExpires(lease));
        ReactiveLockTemplate other = newProcess();
        Boolean heldPastTheLease = template.execute(this.key, Mono.delay(lease.multipliedBy(2))
            .then(Mono.fromCallable(() -> heldInStore(this.key)).subscribeOn(Schedulers.boundedElastic()))
            .zipWith(ReactiveLockContext.current(), (held, handle) -> held && handle.isHeld()))
            .block(PATIENCE);
        assertThat(heldPastTheLease).as("held twice the lease after acquisition").isTrue();
        assertFreeFor(other);
        awaitNothingTracked(template);
    }

    @Test
    void aLeaseLostBehindTheHoldersBackIsReportedByTheRelease() {
        ReactiveLockTemplate holder = newProcess(LockOptions.defaults().withExpires(Duration.ofSeconds(3)));
        ReactiveLockHandle handle = holder.lock(this.key).block(PATIENCE);
        deleteBehindTheHoldersBack(handle);
        ReactiveLockHandle thief = newProcess().tryAcquire(this.key).block(PATIENCE);
        assertThat(thief).as("taken by another process").isNotNull();
        await(() -> !handle.isHeld(), "the renewal notices the loss");
        ReleaseResult release = handle.release().block(PATIENCE);
        assertThat(release.released()).isFalse();
        assertThat(release.message()).contains("lost").contains(this.key);
        assertThat(heldInStore(this.key)).as("the thief still holds it").isTrue();
        thief.release().block(PATIENCE);
    }

    @Test
    void aLeaseThatRanOutUnrenewedIsReportedByTheRelease() {
        Duration lease = Duration.ofSeconds(2);
        ReactiveLockTemplate holder = newProcess(LockOptions.defaults().withExpires(lease).withRenew(false));
        ReactiveLockHandle handle = holder.lock(this.key).block(PATIENCE);
        sleep(lease.plusMillis(300).toMillis());
        assertThat(handle.isHeld()).isFalse();
        ReactiveLockHandle next = newProcess().tryAcquire(this.key).block(PATIENCE);
        assertThat(next).as("free once the lease ran out").isNotNull();
        ReleaseResult release = handle.release().block(PATIENCE);
        assertThat(release.released()).isFalse();
        assertThat(release.message()).isEqualTo("Lock lease was lost before release key: " + this.key
                + " (it expired and may be held by another process); nothing was changed in the store");
        assertThat(heldInStore(this.key)).as("the next holder keeps it").isTrue();
        next.release().block(PATIENCE);
        awaitNothingTracked(holder);
    }

    @Test
    void releasingTwiceIsHarmless() {
        ReactiveLockTemplate template = newProcess();
        ReactiveLockHandle handle = template.lock(this.key).block(PATIENCE);
        assertThat(handle.release().block(PATIENCE).released()).isTrue();
        ReleaseResult again = handle.release().block(PATIENCE);
        assertThat(again.released()).isFalse();
        assertThat(again.message()).isEqualTo("Lock handle already closed key: " + this.key);
    }

    private static void enter(AtomicInteger inside, AtomicInteger overlaps) {
        if (inside.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
    }

    private void assertFreeFor(ReactiveLockTemplate template) {
        await(() -> !heldInStore(this.key), "released in the store");
        ReactiveLockHandle handle = template.tryAcquire(this.key).block(PATIENCE);
        assertThat(handle).as("free for another process").isNotNull();
        handle.release().block(PATIENCE);
    }

    protected static void awaitNothingTracked(ReactiveLockTemplate template) {
        await(() -> template.trackedEntries() == 0, "nothing left in the template's maps");
    }

    private static String catchMessage(Runnable call) {
        try {
            call.run();
        }
        catch (RuntimeException ex) {
            return ex.getMessage();
        }
        throw new AssertionError("expected a failure");
    }

    protected static void await(java.util.function.BooleanSupplier condition, String what) {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("Not within " + PATIENCE + ": " + what);
            }
            sleep(10);
        }
    }

    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
