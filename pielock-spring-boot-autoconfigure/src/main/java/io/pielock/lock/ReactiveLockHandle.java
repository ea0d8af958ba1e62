package io.pielock.lock;

import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Mono;

/**
 * One acquisition of a lock by a {@link ReactiveLockTemplate}: the reactive sibling of {@link LockHandle}.
 * {@link #release()} is lazy, as every {@link Mono}: the lock is released when the returned {@code Mono} is
 * subscribed to. Releasing twice is harmless. A reentrant acquisition gets its own handle; the lock is deleted
 * in the store when the outermost one is released.
 */
public final class ReactiveLockHandle {

    private final ReactiveHold hold;

    private final AtomicBoolean closed = new AtomicBoolean();

    ReactiveLockHandle(ReactiveHold hold) {
        this.hold = hold;
    }

    /** @return the lock's name */
    public String key() {
        return this.hold.key();
    }

    /**
     * The fencing token issued when the lock was acquired: strictly greater than every earlier token for this key
     * (blocking and reactive holders share one sequence). Pass it with every write to the guarded resource. As
     * {@link LockHandle#fencingToken()} says, two masters of a split brain can issue the same token.
     * @return the fencing token
     */
    public long fencingToken() {
        return this.hold.fencingToken();
    }

    /**
     * Whether this handle still holds the lock: not released, and the lease neither lost (a renewal found another
     * owner) nor run out by this JVM's clock. Conservative: it may say {@code false} slightly before the store
     * expires the lock, never later.
     * @return whether the lock is held
     */
    public boolean isHeld() {
        return !this.closed.get() && this.hold.isValid();
    }

    /**
     * Releases this acquisition when subscribed to; the first subscription counts, later ones complete with a
     * not-released result. Never an error signal: a store that cannot be reached is reported in the result.
     * @return whether a valid hold was released, with a message naming the key
     */
    public Mono<ReleaseResult> release() {
        return Mono.defer(() -> this.closed.compareAndSet(false, true) ? this.hold.exit()
                : Mono.just(LockPolicy.Releases.alreadyClosed(key())));
    }

    ReactiveHold hold() {
        return this.hold;
    }

    @Override
    public String toString() {
        return "ReactiveLockHandle[key=" + key() + ", fencingToken=" + fencingToken() + ", held=" + isHeld() + "]";
    }
}
