package io.pielock.lock;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * A real store behind a test's wrapper: forwards every method a store must implement (not the optional ones with
 * defaults, such as {@code inspect}), so a test overrides only what it watches.
 */
public class ForwardingLockStore implements LockStore {

    final LockStore delegate;

    public ForwardingLockStore(LockStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public LockAttempt tryAcquire(String key, String token, Duration lease) {
        return this.delegate.tryAcquire(key, token, lease);
    }

    @Override
    public LockAttempt tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
        return this.delegate.tryAcquire(key, token, lease, retryWithin);
    }

    @Override
    public LockAttempt handOver(String key, String fromToken, String toToken, Duration lease,
            Duration retryWithin) {
        return this.delegate.handOver(key, fromToken, toToken, lease, retryWithin);
    }

    @Override
    public boolean renew(String key, String token, Duration lease) {
        return this.delegate.renew(key, token, lease);
    }

    @Override
    public boolean release(String key, String token) {
        return this.delegate.release(key, token);
    }

    @Override
    public void addReleaseListener(Consumer<String> listener) {
        this.delegate.addReleaseListener(listener);
    }

    @Override
    public boolean awaitReleases(String key, Duration within) {
        return this.delegate.awaitReleases(key, within);
    }

    @Override
    public void stopAwaitingReleases(String key) {
        this.delegate.stopAwaitingReleases(key);
    }

    @Override
    public LockAttempt withdraw(String key, String token, Duration lease) {
        return this.delegate.withdraw(key, token, lease);
    }

    @Override
    public void addGrantListener(GrantListener listener) {
        this.delegate.addGrantListener(listener);
    }
}
