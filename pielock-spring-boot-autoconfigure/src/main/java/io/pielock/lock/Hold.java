package io.pielock.lock;

import java.time.Duration;
import java.time.Instant;

/**
 * One process-wide hold on a key: the store's owner token, the JVM-side reentrancy count, the lease clock
 * and the local gate permit. Several {@link LockHandle}s (reentrant acquisitions) may share it.
 */
final class Hold {

    private final LockTemplate template;

    private final String key;

    private final String token;

    private final long fencingToken;

    private final Thread owner;

    private final long leaseNanos;

    private final LocalGates.Gate gate;

    private final LockObserver.Holding holding;

    /** When (nanoTime) the first request of this hold's lease was sent: its acquisition or handover. */
    private final long startedAt;

    private volatile long confirmedAt;

    /** Written by the renewal thread only. */
    private volatile int renewals;

    private volatile String lostReason;

    private int count = 1;

    // guarded by this
    private boolean ended;

    /** Whether the renewer renews it: from {@link #renewWith} until it ends or is lost. */
    private volatile boolean renewed;

    private volatile long renewDueAt;

    Hold(LockTemplate template, String key, String token, long fencingToken, long leaseNanos, long confirmedAt,
            LocalGates.Gate gate, LockObserver.Holding holding) {
        this(template, key, token, fencingToken, leaseNanos, confirmedAt, confirmedAt, gate, holding);
    }

    /**
     * @param startedAt when the hold began (for the actuator's view)
     * @param confirmedAt the lease is known to last {@code leaseNanos} from this instant (it may be earlier than
     *        {@code startedAt}, for a lock passed on with a shorter lease until renewed)
     */
    Hold(LockTemplate template, String key, String token, long fencingToken, long leaseNanos, long startedAt,
            long confirmedAt, LocalGates.Gate gate, LockObserver.Holding holding) {
        this.template = template;
        this.key = key;
        this.token = token;
        this.fencingToken = fencingToken;
        this.owner = Thread.currentThread();
        this.leaseNanos = leaseNanos;
        this.startedAt = startedAt;
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

    Thread owner() {
        return this.owner;
    }

    long leaseNanos() {
        return this.leaseNanos;
    }

    LocalGates.Gate gate() {
        return this.gate;
    }

    /** @return what the hold's end is reported to */
    LockObserver.Holding holding() {
        return this.holding;
    }

    /** Not lost, and the lease (counted from before the last confirming request was sent) has not run out. */
    boolean isValid() {
        return this.lostReason == null && System.nanoTime() - this.confirmedAt < this.leaseNanos;
    }

    /** @return how long the lease is known to last from {@code now} (nanoTime); negative once it ran out */
    long leaseLeftNanos(long now) {
        return this.confirmedAt + this.leaseNanos - now;
    }

    String lostReason() {
        return this.lostReason;
    }

    /** A renewal confirmed the lease (called by the renewal thread only). */
    void confirmed(long sentAt) {
        this.confirmedAt = sentAt;
        this.renewals++;
    }

    /**
     * @param nanoNow {@link System#nanoTime()} now
     * @param wallNow the wall clock at about the same moment
     * @return what this hold looks like now, for {@link LockTemplate#heldLocks()}
     */
    synchronized HeldLock snapshot(long nanoNow, Instant wallNow) {
        long leftNanos = this.leaseNanos - (nanoNow - this.confirmedAt);
        boolean lost = this.lostReason != null || leftNanos <= 0;
        return new HeldLock(this.key, this.fencingToken, wallNow.minusNanos(nanoNow - this.startedAt),
                lost ? Duration.ZERO : Duration.ofNanos(leftNanos), this.owner.getName(), this.count, this.renewals,
                lost);
    }

    /**
     * Marks the hold lost and stops its renewal, unless its owner has already let it go: a renewal that runs
     * while the release deletes the lock finds it gone, and that is no loss.
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

    synchronized void reenter() {
        this.count++;
    }

    /** @return the holds left after this exit, or -1 if there was none to exit */
    synchronized int leave() {
        return (this.count == 0) ? -1 : --this.count;
    }

    /** Has {@code renewer} renew it (it must be on its gate already, where the renewer finds it). */
    synchronized void renewWith(LeaseRenewer renewer) {
        if (this.ended) {
            return;
        }
        this.renewed = true;
        renewer.start(this);
    }

    /** @return whether its lease is renewed: asked for, and the hold has neither ended nor been lost */
    boolean renewed() {
        return this.renewed;
    }

    long renewDueAt() {
        return this.renewDueAt;
    }

    void renewDueAt(long nanoTime) {
        this.renewDueAt = nanoTime;
    }

    /** The owner lets go: from now on a failing renewal is no loss. Stops the renewal. */
    synchronized void end() {
        this.ended = true;
        stopRenewal();
    }

    private void stopRenewal() {
        this.renewed = false;
    }

    ReleaseResult exit() {
        return this.template.exit(this);
    }
}
