package io.pielock.reactive;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.pielock.annotation.DistributedLocked;
import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.ReactiveLockContext;
import io.pielock.lock.ReactiveLockHandle;

/** Beans with {@code @DistributedLocked} methods returning Mono, Flux and CompletableFuture. */
final class ReactiveLockedBeans {

    private ReactiveLockedBeans() {
    }

    /**
     * Guarded methods that count the callers inside (incremented eagerly in the method body, so the body itself
     * is shown to run under the lock) and stay inside until {@code until} completes.
     */
    static class Guarded {

        final AtomicInteger inside = new AtomicInteger();

        final AtomicInteger maxInside = new AtomicInteger();

        final AtomicInteger bodies = new AtomicInteger();

        /** @return the callers inside now (an accessor: the test holds the proxy, whose fields are unset) */
        public int inside() {
            return this.inside.get();
        }

        /** @return the most callers that were ever inside at once */
        public int maxInside() {
            return this.maxInside.get();
        }

        /** @return how many bodies ran */
        public int bodies() {
            return this.bodies.get();
        }

        /**
         * Counts the caller out on the end signal, before it reaches the lock (which may let the next caller in at
         * once), not after as doFinally would.
         */
        private void leave() {
            this.inside.decrementAndGet();
        }

        private void enter() {
            this.bodies.incrementAndGet();
            this.maxInside.accumulateAndGet(this.inside.incrementAndGet(), Math::max);
        }

        /** @return the fencing token of the hold, once {@code until} completes */
        @DistributedLocked(key = "#key", expires = "5s", timeout = "10s")
        public Mono<Long> mono(String key, Mono<?> until) {
            enter();
            return until.then(ReactiveLockContext.current().map(ReactiveLockHandle::fencingToken))
                .doOnTerminate(this::leave).doOnCancel(this::leave);
        }

        /** @return the fencing token of the hold, then each value of {@code until} */
        @DistributedLocked(key = "#key", expires = "5s", timeout = "10s")
        public Flux<Object> flux(String key, Flux<?> until) {
            enter();
            return Flux.concat(ReactiveLockContext.current().map(ReactiveLockHandle::fencingToken), until)
                .doOnTerminate(this::leave).doOnCancel(this::leave);
        }

        /**
         * @return completes as {@code until} does (with its value), once this body has counted itself out: the
         *         lock, which follows the returned future, is released only after that (a dependent of {@code until}
         *         itself might run after the release); cancelling it cancels {@code until}
         */
        @DistributedLocked(key = "#key", expires = "5s", timeout = "10s")
        public CompletableFuture<Object> future(String key, CompletableFuture<Object> until) {
            enter();
            CompletableFuture<Object> result = until.whenComplete((value, failure) -> this.inside.decrementAndGet());
            result.whenComplete((value, failure) -> {
                if (result.isCancelled()) {
                    until.cancel(true);
                }
            });
            return result;
        }

        @DistributedLocked(key = "#key", expires = "5s")
        public Mono<String> failing(String key) {
            enter();
            return Mono.<String>error(new IllegalStateException("boom in " + key))
                .doOnTerminate(this::leave).doOnCancel(this::leave);
        }

        @DistributedLocked(key = "#key", expires = "5s")
        public Mono<String> throwing(String key) {
            throw new IllegalStateException("thrown by the body for " + key);
        }

        @DistributedLocked(key = "#key", timeout = "0")
        public Mono<String> once(String key) {
            enter();
            return Mono.just("ran").doOnTerminate(this::leave).doOnCancel(this::leave);
        }

        @DistributedLocked(key = "#key", timeout = "0")
        public Flux<String> onceFlux(String key) {
            enter();
            return Flux.just("ran").doOnTerminate(this::leave).doOnCancel(this::leave);
        }

        @DistributedLocked(key = "#key", timeout = "0")
        public CompletableFuture<String> onceFuture(String key) {
            enter();
            this.inside.decrementAndGet();
            return CompletableFuture.completedFuture("ran");
        }

        @DistributedLocked(key = "#key", timeout = "0", fallback = "busy")
        public Mono<String> withFallback(String key) {
            enter();
            return Mono.just("ran").doOnTerminate(this::leave).doOnCancel(this::leave);
        }

        Mono<String> busy(String key, LockAcquisitionException ex) {
            return Mono.just("busy:" + ex.getReason() + ":" + ex.getMethod().getName());
        }

        @DistributedLocked(key = "#key", timeout = "0", fallback = "busyFuture")
        public CompletableFuture<String> futureWithFallback(String key) {
            return CompletableFuture.completedFuture("ran");
        }

        CompletableFuture<String> busyFuture(String key) {
            return CompletableFuture.completedFuture("busy:" + key);
        }

        /** @return the name of the thread the body ran on */
        @DistributedLocked(key = "#key", expires = "5s")
        public CompletableFuture<String> threadOfFutureBody(String key) {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        /** A reactive type other than Mono and Flux, through its ReactiveAdapter. */
        @DistributedLocked(key = "#key", timeout = "0")
        public org.reactivestreams.Publisher<Long> publisher(String key) {
            enter();
            return ReactiveLockContext.current().map(ReactiveLockHandle::fencingToken)
                .doOnTerminate(this::leave).doOnCancel(this::leave);
        }

        @DistributedLocked(key = "#key")
        public Mono<String> keyed(String key) {
            return Mono.just("ran");
        }
    }

    /** Calls {@link Inner} on the same key from within its own guarded chain. */
    static class Outer {

        private final Inner inner;

        Outer(Inner inner) {
            this.inner = inner;
        }

        /** @return the outer and inner fencing tokens */
        @DistributedLocked(key = "#key", expires = "5s")
        public Mono<long[]> reentrant(String key) {
            return ReactiveLockContext.current()
                .flatMap(outer -> this.inner.reentrant(key).map(inner -> new long[] { outer.fencingToken(), inner }));
        }

        @DistributedLocked(key = "#key", expires = "5s")
        public Mono<Long> notReentrant(String key) {
            return this.inner.notReentrant(key);
        }
    }

    static class Inner {

        @DistributedLocked(key = "#key", expires = "5s")
        public Mono<Long> reentrant(String key) {
            return ReactiveLockContext.current(key).map(ReactiveLockHandle::fencingToken);
        }

        @DistributedLocked(key = "#key", expires = "5s", reentrant = false)
        public Mono<Long> notReentrant(String key) {
            return ReactiveLockContext.current(key).map(ReactiveLockHandle::fencingToken);
        }
    }
}
