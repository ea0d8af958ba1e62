package io.pielock.lock;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One acquisition of a lock, returned by {@link LockTemplate#lock(String)}. Use it with try-with-resources:
 * <pre>{@code
 * try (LockHandle lock = lockTemplate.lock("invoice:" + id)) {
 *     store.write(invoice, lock.fencingToken());
 * }
 * }</pre>
 * {@link #close()} may be called from any thread (for hand-off to another thread or an async completion);
 * closing twice is harmless. A reentrant acquisition gets its own handle; the lock is deleted in the store when
 * the outermost one is closed.
 */
public final class LockHandle implements AutoCloseable {

    private final Hold hold;

    private final AtomicBoolean closed = new AtomicBoolean();

    LockHandle(Hold hold) {
        this.hold = hold;
    }

    /** @return the lock's name */
    public String key() {
        return this.hold.key();
    }

    /**
     * The fencing token issued when the lock was acquired: strictly greater than every earlier token for this
     * key. Pass it with every write to the resource the lock guards and have that resource reject writes whose
     * token is lower than the highest it has seen; that keeps a holder whose lease ran out (a long GC pause, a
     * network partition) from overwriting a newer holder's work. One Redis master issues each token once; two
     * masters of a split brain (a failover without {@code pielock.lock.min-replicas-acked}) can issue the same
     * token in the same microsecond, so a resource that must hold then too accepts one write per token (README,
     * "Fencing tokens").
     * @return the fencing token
     */
    public long fencingToken() {
        return this.hold.fencingToken();
    }

    /**
     * Whether this handle still holds the lock: not closed, and the lease neither lost (a renewal found another
     * owner) nor run out by this JVM's clock. Conservative: it may say {@code false} slightly before the store
     * expires the lock, never later.
     * @return whether the lock is held
     */
    public boolean isHeld() {
        return !this.closed.get() && this.hold.isValid();
    }

    /**
     * Releases this acquisition; the first call counts, later ones return a not-released result.
     * @return whether a valid hold was released, with a message naming the key
     */
    public ReleaseResult release() {
        if (!this.closed.compareAndSet(false, true)) {
            return LockPolicy.Releases.alreadyClosed(key());
        }
        return this.hold.exit();
    }

    /** Releases this acquisition, as {@link #release()}; a lost lease is logged at WARN by the template. */
    @Override
    public void close() {
        release();
    }

    Hold hold() {
        return this.hold;
    }

    @Override
    public String toString() {
        return "LockHandle[key=" + key() + ", fencingToken=" + fencingToken() + ", held=" + isHeld() + "]";
    }
}
