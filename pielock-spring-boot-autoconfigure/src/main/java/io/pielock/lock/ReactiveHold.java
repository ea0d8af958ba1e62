package io.pielock.lock;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One hold of a {@link ReactiveLockTemplate} on a key: the store's owner token, the reentrancy count of the
 * reactive chain that holds it, the lease clock, the key's local gate permit and the pending renewal timer.
 * Several {@link ReactiveLockHandle}s (reentrant acquisitions) may share it.
 */
final class ReactiveHold {

    private final ReactiveLockTemplate template;

    private final String key;

    private final String token;

    private final long fencingToken;

    private final long leaseNanos;

    private final ReactiveGates.Gate gate;

    private final LockObserver.Holding holding;

    private volatile long confirmedAt;

    private volatile String lostReason;

    // guarded by this
    private int count = 1;

    // guarded by this
    private boolean ended;

    // guarded by this
    private Disposable renewal;

    ReactiveHold(ReactiveLockTemplate template, String key, String token, long fencingToken, long leaseNanos,
            long confirmedAt, ReactiveGates.Gate gate, LockObserver.Holding holding) {
        this.template = template;
        this.key = key;
        this.token = token;
        this.fencingToken = fencingToken;
        this.leaseNanos = leaseNanos;
        this.confirmedAt = confirmedAt;
        this.gate = gate;
        this.holding = holding;
    }

    String key() {
        return this.key;
    }

    String token() {
        return this.token;
    }

    long fencingToken() {
        return this.fencingToken;
    }

    long leaseNanos() {
        return this.leaseNanos;
    }

    ReactiveGates.Gate gate() {
        return this.gate;
    }

    LockObserver.Holding holding() {
        return this.holding;
    }

    ReactiveLockTemplate template() {
        return this.template;
    }

    /** Not lost, and the lease (counted from before the last confirming request was sent) has not run out. */
    boolean isValid() {
        return this.lostReason == null && System.nanoTime() - this.confirmedAt < this.leaseNanos;
    }

    String lostReason() {
        return this.lostReason;
    }

    /** A renewal sent at {@code sentAt} confirmed the lease. */
    void confirmed(long sentAt) {
        this.confirmedAt = sentAt;
    }

    /** @return whether the chain could enter again (false: the hold was let go meanwhile) */
    synchronized boolean reenter() {
        if (this.count == 0 || this.ended) {
            return false;
        }
        this.count++;
        return true;
    }

    /** @return the holds left after this exit, or -1 if there was none to exit */
    synchronized int leave() {
        return (this.count == 0) ? -1 : --this.count;
    }

    /** @return whether the next renewal may be planned with this timer (false: the hold ended or was lost) */
    synchronized boolean renewalPlanned(Disposable timer) {
        if (this.ended || this.lostReason != null) {
            return false;
        }
        this.renewal = timer;
        return true;
    }

    synchronized boolean isEnded() {
        return this.ended;
    }

    /**
     * Marks the hold lost and stops its renewal, unless its owner has already let it go.
     * @return whether it was marked lost (false: released first)
     */
    synchronized boolean lost(String reason) {
        if (this.ended) {
            return false;
        }
        this.lostReason = reason;
        stopRenewal();
        return true;
    }

    /** The owner lets go: from now on a failing renewal is no loss. Stops the renewal. */
    synchronized void end() {
        this.ended = true;
        stopRenewal();
    }

    private void stopRenewal() {
        if (this.renewal != null) {
            this.renewal.dispose();
            this.renewal = null;
        }
    }

    Mono<ReleaseResult> exit() {
        return this.template.exit(this);
    }
}
