package io.pielock.store.memory;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;

import io.pielock.lock.LockAttempt;
import io.pielock.lock.ReactiveLockStore;

/**
 * The reactive face of an {@link InMemoryLockStore}: the same locks, leases, fencing tokens and release events,
 * so a {@code LockTemplate} and a {@code ReactiveLockTemplate} on the same store exclude each other. Its
 * operations never block (a map update each), so they run on the subscribing thread.
 */
public class InMemoryReactiveLockStore implements ReactiveLockStore {

    private final InMemoryLockStore store;

    /** @param store the store whose state this face shares */
    public InMemoryReactiveLockStore(InMemoryLockStore store) {
        this.store = Objects.requireNonNull(store, "store must not be null");
    }

    /** @return the blocking store whose state this face shares */
    public InMemoryLockStore blocking() {
        return this.store;
    }

    @Override
    public Mono<LockAttempt> tryAcquire(String key, String token, Duration lease) {
        return Mono.fromSupplier(() -> this.store.tryAcquire(key, token, lease));
    }

    @Override
    public Mono<LockAttempt> tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
        return Mono.fromSupplier(() -> this.store.tryAcquire(key, token, lease, retryWithin));
    }

    @Override
    public Mono<Boolean> renew(String key, String token, Duration lease) {
        return Mono.fromSupplier(() -> this.store.renew(key, token, lease));
    }

    @Override
    public Mono<Boolean> release(String key, String token) {
        return Mono.fromSupplier(() -> this.store.release(key, token));
    }

    @Override
    public void addReleaseListener(Consumer<String> listener) {
        this.store.addReleaseListener(listener);
    }

    @Override
    public Mono<Boolean> awaitReleases(String key) {
        return Mono.just(false); // events are delivered synchronously by release()
    }

    @Override
    public String describe() {
        return this.store.describe();
    }
}
