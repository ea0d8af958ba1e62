package io.pielock.reactive;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import io.pielock.autoconfigure.PielockAutoConfiguration;
import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockAcquisitionException.Reason;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockResult;
import io.pielock.lock.LockStore;
import io.pielock.lock.LockTemplate;
import io.pielock.lock.ReactiveLockTemplate;
import io.pielock.reactive.ReactiveLockedBeans.Guarded;
import io.pielock.reactive.ReactiveLockedBeans.Inner;
import io.pielock.reactive.ReactiveLockedBeans.Outer;
import io.pielock.store.redis.RedisKeys;
import io.pielock.test.NonBlocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * {@code @DistributedLocked} on methods returning {@code Mono}, {@code Flux} and {@code CompletableFuture}, in a
 * real application context, with BlockHound installed: the lock is held until the result completes, is released
 * on success, error and cancellation, failures to acquire are signals (never thrown), nested calls follow the
 * Reactor Context. One subclass per store.
 */
abstract class AbstractReactiveLockedContractTest {

    /** Bounds for what must happen soon; generous, the machine is shared. */
    private static final Duration SOON = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withBean(Guarded.class)
        .withBean(Inner.class)
        .withBean(Outer.class);

    @BeforeAll
    static void blockHound() {
        NonBlocking.install();
    }

    /** @return the properties that choose this test's store */
    protected abstract String[] storeProperties();

    /** @return the runner with what this store needs besides properties */
    protected ApplicationContextRunner customize(ApplicationContextRunner runner) {
        return runner;
    }

    private void run(ContextTest test) {
        customize(this.runner.withPropertyValues(storeProperties())).run(context -> {
            assertThat(context).hasNotFailed();
            test.run(context);
        });
    }

    @Test
    void aMonoHoldsTheLockUntilItCompletesSoASecondCallerWaits() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            String key = key("mono-held");
            Sinks.Empty<Void> first = Sinks.empty();
            CompletableFuture<Long> firstToken = guarded.mono(key, first.asMono()).toFuture();
            awaitTrue(() -> guarded.inside() == 1, "the first caller entered");

            CompletableFuture<Long> secondToken = guarded.mono(key, Mono.empty()).toFuture();
            assertHeld(context, key);
            Thread.sleep(300);
            assertThat(secondToken).as("the second caller is kept out while the first Mono is pending").isNotDone();
            assertThat(guarded.bodies()).as("the second body has not run").isEqualTo(1);

            first.tryEmitEmpty();
            assertThat(secondToken.get(SOON.toSeconds(), TimeUnit.SECONDS)).isGreaterThan(firstToken.join());
            assertThat(guarded.maxInside()).isEqualTo(1);
            awaitFree(context, key);
        });
    }

    @Test
    void aFluxHoldsTheLockUntilItCompletes() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            String key = key("flux-held");
            Sinks.Many<String> first = Sinks.many().unicast().onBackpressureBuffer();
            List<Object> firstValues = new ArrayList<>();
            Disposable firstCall = guarded.flux(key, first.asFlux()).subscribe(firstValues::add);
            awaitTrue(() -> firstValues.size() == 1, "the first caller entered");
            first.tryEmitNext("a");

            CompletableFuture<List<Object>> second = guarded.flux(key, Flux.just("b")).collectList().toFuture();
            assertHeld(context, key);
            Thread.sleep(300);
            assertThat(second).as("kept out while the first Flux is pending").isNotDone();

            first.tryEmitComplete();
            List<Object> secondValues = second.get(SOON.toSeconds(), TimeUnit.SECONDS);
            assertThat(secondValues).hasSize(2).last().isEqualTo("b");
            assertThat((Long) secondValues.get(0)).isGreaterThan((Long) firstValues.get(0));
            assertThat(firstValues).hasSize(2).last().isEqualTo("a");
            assertThat(firstCall.isDisposed()).isTrue();
            assertThat(guarded.maxInside()).isEqualTo(1);
            awaitFree(context, key);
        });
    }

    @Test
    void aCompletableFutureHoldsTheLockUntilTheBodysFutureCompletes() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            String key = key("future-held");
            CompletableFuture<Object> firstWork = new CompletableFuture<>();
            CompletableFuture<Object> first = guarded.future(key, firstWork);
            awaitTrue(() -> guarded.inside() == 1, "the first body ran");

            CompletableFuture<Object> second = guarded.future(key, CompletableFuture.completedFuture("second"));
            assertHeld(context, key);
            Thread.sleep(300);
            assertThat(second).as("kept out while the first future is pending").isNotDone();
            assertThat(guarded.bodies()).isEqualTo(1);

            firstWork.complete("first");
            assertThat(first.get(SOON.toSeconds(), TimeUnit.SECONDS)).isEqualTo("first");
            assertThat(second.get(SOON.toSeconds(), TimeUnit.SECONDS)).isEqualTo("second");
            assertThat(guarded.maxInside()).isEqualTo(1);
            awaitFree(context, key);
        });
    }

    @Test
    void aCompletableFutureCompletesWithTheBodysFailureAndReleases() {
        run(context -> {
            String key = key("future-fails");
            CompletableFuture<Object> work = new CompletableFuture<>();
            CompletableFuture<Object> result = context.getBean(Guarded.class).future(key, work);
            work.completeExceptionally(new IllegalStateException("body failed"));
            assertThat(result).failsWithin(SOON).withThrowableThat().havingRootCause()
                .isInstanceOf(IllegalStateException.class).withMessage("body failed");
            awaitFree(context, key);
        });
    }

    @Test
    void eachSubscriptionAcquiresAndRunsTheMethodOnce() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            String key = key("resubscribed");
            Mono<Long> call = guarded.mono(key, Mono.empty());
            assertThat(guarded.bodies()).as("nothing runs before subscription").isZero();
            long first = call.block(SOON);
            awaitFree(context, key);
            long second = call.block(SOON);
            assertThat(guarded.bodies()).isEqualTo(2);
            assertThat(second).as("a new hold, a new fencing token").isGreaterThan(first);
            awaitFree(context, key);
        });
    }

    @Test
    void otherReactiveTypesAreHeldThroughTheirAdapter() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            String key = key("publisher");
            assertThat(Flux.from(guarded.publisher(key)).collectList().block(SOON)).singleElement()
                .satisfies(token -> assertThat(token).isPositive());
            awaitFree(context, key);
            try (LockHandle held = context.getBean(LockTemplate.class).lock(key)) {
                StepVerifier.create(guarded.publisher(key)).expectError(LockAcquisitionException.class).verify(SOON);
            }
        });
    }

    @Test
    void theLockIsReleasedOnSuccess() {
        run(context -> {
            String key = key("success");
            assertThat(context.getBean(Guarded.class).mono(key, Mono.empty()).block(SOON)).isPositive();
            awaitFree(context, key);
            assertThat(context.getBean(Guarded.class).flux(key, Flux.just(1)).collectList().block(SOON)).hasSize(2);
            awaitFree(context, key);
        });
    }

    @Test
    void theLockIsReleasedOnErrorAndTheErrorPassesThroughUnchanged() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            String key = key("error");
            StepVerifier.create(guarded.failing(key)).expectErrorMessage("boom in " + key).verify(SOON);
            awaitFree(context, key);
            StepVerifier.create(guarded.throwing(key)).expectErrorMessage("thrown by the body for " + key)
                .verify(SOON);
            awaitFree(context, key);
        });
    }

    @Test
    void theLockIsReleasedWhenTheSubscriptionIsDisposed() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            String key = key("dispose");
            Disposable mono = guarded.mono(key, Mono.never()).subscribe();
            awaitTrue(() -> guarded.inside() == 1, "entered");
            assertHeld(context, key);
            mono.dispose();
            awaitFree(context, key);
            assertThat(guarded.inside()).isZero();

            Disposable flux = guarded.flux(key, Flux.never()).subscribe();
            awaitTrue(() -> guarded.inside() == 1, "entered");
            flux.dispose();
            awaitFree(context, key);
        });
    }

    @Test
    void cancellingTheCompletableFutureReleasesTheLockAndCancelsTheBodysFuture() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            String key = key("cancel-future");
            CompletableFuture<Object> work = new CompletableFuture<>();
            CompletableFuture<Object> result = guarded.future(key, work);
            awaitTrue(() -> guarded.inside() == 1, "entered");
            assertHeld(context, key);
            assertThat(result.cancel(true)).isTrue();
            awaitFree(context, key);
            awaitTrue(work::isCancelled, "the body's future was cancelled");
        });
    }

    @Test
    void cancellingAPendingAcquisitionGivesUpTheWait() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            String key = key("cancel-waiting");
            LockHandle held = context.getBean(LockTemplate.class).lock(key);
            CompletableFuture<Object> waiting = guarded.future(key, CompletableFuture.completedFuture("x"));
            Disposable waitingMono = guarded.mono(key, Mono.empty()).subscribe();
            Thread.sleep(200);
            waiting.cancel(true);
            waitingMono.dispose();
            held.close();
            awaitFree(context, key);
            Thread.sleep(200);
            assertThat(guarded.bodies()).as("no cancelled caller ran its body").isZero();
            assertNothingLeft(context, key);
        });
    }

    @Test
    void aThousandCancelledCallsLeaveNothingBehind() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            String key = key("thousand");
            for (int call = 0; call < 1000; call++) {
                int bodiesBefore = guarded.bodies();
                Disposable subscription = (call % 2 == 0) ? guarded.mono(key, Mono.never()).subscribe()
                        : guarded.flux(key, Flux.never()).subscribe();
                if (call % 3 == 0) {
                    awaitTrue(() -> guarded.bodies() > bodiesBefore, "call " + call + " entered");
                }
                subscription.dispose();
            }
            awaitTrue(() -> guarded.inside() == 0, "every cancelled body was cancelled too");
            for (int call = 0; call < 200; call++) {
                guarded.future(key, new CompletableFuture<>()).cancel(true);
            }
            awaitFree(context, key);
            assertNothingLeft(context, key);
        });
    }

    @Test
    void failureToAcquireIsTheErrorSignalNamingTheMethodNeverThrownAtAssembly() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            String key = key("contended");
            try (LockHandle held = context.getBean(LockTemplate.class).lock(key)) {
                Mono<String> mono = guarded.once(key);
                StepVerifier.create(mono)
                    .expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(LockAcquisitionException.class,
                            failure -> {
                                assertThat(failure.getReason()).isEqualTo(Reason.HELD_ELSEWHERE);
                                assertThat(failure.getMethod().getName()).isEqualTo("once");
                            }).hasMessageContaining(key).hasMessageContaining("Guarded.once()"))
                    .verify(SOON);
                StepVerifier.create(guarded.onceFlux(key)).expectError(LockAcquisitionException.class).verify(SOON);
                CompletableFuture<String> future = guarded.onceFuture(key);
                assertThat(future).failsWithin(SOON).withThrowableThat().havingRootCause()
                    .isInstanceOf(LockAcquisitionException.class).withMessageContaining("Guarded.onceFuture()");
                assertThat(guarded.bodies()).isZero();
            }
        });
    }

    @Test
    void failureToAcquireGivesTheFallbacksResult() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            String key = key("fallback");
            try (LockHandle held = context.getBean(LockTemplate.class).lock(key)) {
                assertThat(guarded.withFallback(key).block(SOON)).isEqualTo("busy:HELD_ELSEWHERE:withFallback");
                assertThat(guarded.futureWithFallback(key).get(SOON.toSeconds(), TimeUnit.SECONDS))
                    .isEqualTo("busy:" + key);
            }
            assertThat(guarded.withFallback(key).block(SOON)).isEqualTo("ran");
        });
    }

    @Test
    void aKeyThatCannotBeEvaluatedIsTheErrorSignal() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            assertThatCode(() -> guarded.keyed(null)).doesNotThrowAnyException();
            StepVerifier.create(guarded.keyed(null)).expectErrorSatisfies(
                    ex -> assertThat(ex).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyed"))
                .verify(SOON);
        });
    }

    @Test
    void aNestedCallOnTheSameKeyInTheChainIsReentrantAndSeesTheSameFencingToken() {
        run(context -> {
            String key = key("nested");
            long[] tokens = context.getBean(Outer.class).reentrant(key).block(SOON);
            assertThat(tokens[0]).isPositive().isEqualTo(tokens[1]);
            awaitFree(context, key);
        });
    }

    @Test
    void aNestedNonReentrantCallOnTheSameKeyFailsAtOnce() {
        run(context -> {
            String key = key("nested-non-reentrant");
            long start = System.nanoTime();
            StepVerifier.create(context.getBean(Outer.class).notReentrant(key))
                .expectErrorSatisfies(ex -> assertThat(ex).isInstanceOfSatisfying(LockAcquisitionException.class,
                        failure -> assertThat(failure.getReason()).isEqualTo(Reason.ALREADY_HELD)))
                .verify(SOON);
            assertThat(System.nanoTime() - start).as("not after the default 30 s timeout")
                .isLessThan(TimeUnit.SECONDS.toNanos(20));
            awaitFree(context, key);
        });
    }

    @Test
    void aCompletableFutureBodyRunsOnTheCallerWhenFreeAndNeverOnAnEventLoopAfterWaiting() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            String key = key("thread");
            assertThat(guarded.threadOfFutureBody(key).get(SOON.toSeconds(), TimeUnit.SECONDS))
                .satisfiesAnyOf(name -> assertThat(name).isEqualTo(Thread.currentThread().getName()),
                        name -> assertThat(name).startsWith("boundedElastic"));
            CompletableFuture<String> afterWaiting;
            try (LockHandle held = context.getBean(LockTemplate.class).lock(key)) {
                afterWaiting = guarded.threadOfFutureBody(key);
                Thread.sleep(100);
            }
            assertThat(afterWaiting.get(SOON.toSeconds(), TimeUnit.SECONDS)).startsWith("boundedElastic");
        });
    }

    private static String key(String name) {
        return name + ":" + UUID.randomUUID();
    }

    private static void assertHeld(AssertableApplicationContext context, String key) {
        LockResult other = context.getBean(LockTemplate.class).tryAcquire(key);
        if (other.acquired()) {
            context.getBean(LockTemplate.class).release(key);
        }
        assertThat(other.acquired()).as("another holder could take " + key).isFalse();
    }

    /** Waits until another holder (a blocking template on the same store) can take the key, then lets it go. */
    private static void awaitFree(AssertableApplicationContext context, String key) {
        LockTemplate other = context.getBean(LockTemplate.class);
        awaitTrue(() -> {
            if (other.tryAcquire(key).acquired()) {
                other.release(key);
                return true;
            }
            return false;
        }, key + " was released");
    }

    /** Nothing of the key in the store (no lock, no waiter mark) nor in the reactive template's maps. */
    protected void assertNothingLeft(AssertableApplicationContext context, String key) {
        awaitTrue(() -> !context.getBean(LockStore.class).inspect(key).map(state -> state.held()).orElse(false),
                "no lock in the store");
        context.getBeanProvider(RedisKeys.class).ifAvailable(keys -> {
            RedisConnectionFactory factory = context.getBean(RedisConnectionFactory.class);
            awaitTrue(() -> {
                try (RedisConnection connection = factory.getConnection()) {
                    return connection.keyCommands().exists(keys.lock(key).getBytes()) == Boolean.FALSE
                            && connection.keyCommands().exists(keys.queue(key).getBytes()) == Boolean.FALSE;
                }
            }, "no lock or waiter key left in Redis");
        });
        ReactiveLockTemplate template = context.getBean(ReactiveLockTemplate.class);
        awaitTrue(() -> TemplateMaps.empty(template), "nothing left in the reactive template's maps");
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + SOON + ": " + what);
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

    interface ContextTest {

        void run(AssertableApplicationContext context) throws Exception;
    }

    /** Reads the template's internal maps (holds, waiters, gates) by reflection: none may keep an entry. */
    static final class TemplateMaps {

        static boolean empty(ReactiveLockTemplate template) {
            try {
                Method entries = ReactiveLockTemplate.class.getDeclaredMethod("trackedEntries");
                entries.setAccessible(true);
                return ((Integer) entries.invoke(template)) == 0;
            }
            catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }
}
