package io.pielock.lock;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Renews the leases of reactive holds without a thread of its own: a timer on a Reactor scheduler about every
 * third of the lease sends a non-blocking renewal, and plans the next one when it answers. As
 * {@link LeaseRenewer}, a renewal that finds another owner, or that cannot reach the store for longer than the
 * lease, marks the hold lost and logs it at WARN, so the release can say so.
 */
final class ReactiveLeaseRenewer {

    private static final Log logger = LogFactory.getLog(ReactiveLeaseRenewer.class);

    private final ReactiveLockStore store;

    private final Scheduler timer;

    private final Set<ReactiveHold> holds = ConcurrentHashMap.newKeySet();

    private volatile LockObserver observer = LockObserver.NONE;

    private volatile boolean closed;

    ReactiveLeaseRenewer(ReactiveLockStore store, Scheduler timer) {
        this.store = store;
        this.timer = timer;
    }

    void setObserver(LockObserver observer) {
        this.observer = observer;
    }

    void start(ReactiveHold hold) {
        if (this.closed) {
            return;
        }
        this.holds.add(hold);
        plan(hold);
    }

    void stop(ReactiveHold hold) {
        this.holds.remove(hold);
    }

    int size() {
        return this.holds.size();
    }

    private void plan(ReactiveHold hold) {
        if (this.closed || hold.isEnded()) {
            this.holds.remove(hold);
            return;
        }
        Disposable next;
        try {
            next = this.timer.schedule(() -> renew(hold), Math.max(1, hold.leaseNanos() / 3), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            logger.warn("Could not plan the renewal of lock key: " + hold.key() + "; it frees itself when its "
                    + "lease runs out", ex);
            return;
        }
        if (!hold.renewalPlanned(next)) {
            next.dispose();
            this.holds.remove(hold);
        }
    }

    private void renew(ReactiveHold hold) {
        if (this.closed || hold.isEnded()) {
            return;
        }
        long sentAt = System.nanoTime();
        this.store.renew(hold.key(), hold.token(), Duration.ofNanos(hold.leaseNanos()))
            .defaultIfEmpty(false)
            .subscribe(renewed -> {
                this.observer.renewal(renewed);
                if (renewed) {
                    hold.confirmed(sentAt);
                    plan(hold);
                }
                else {
                    lose(hold, LockPolicy.LOST_TO_ANOTHER_OWNER);
                }
            }, ex -> {
                this.observer.renewal(false);
                if (!hold.isValid()) {
                    lose(hold, LockPolicy.unreachableForLongerThanTheLease(ex));
                }
                else {
                    if (logger.isDebugEnabled()) {
                        logger.debug("Could not renew lock key: " + hold.key() + "; will retry within the lease", ex);
                    }
                    plan(hold);
                }
            });
    }

    private void lose(ReactiveHold hold, String reason) {
        this.holds.remove(hold);
        if (!hold.lost(reason)) {
            return; // released by its owner while this renewal ran: the lock is gone because it was let go
        }
        this.observer.leaseLost(hold.key());
        logger.warn(LockPolicy.Releases.lostLog(hold.key(), hold.fencingToken(), reason));
    }

    /** Stops renewing: cancels every planned renewal. Locks still held will expire by their lease. */
    void close() {
        this.closed = true;
        for (ReactiveHold hold : this.holds) {
            hold.end();
        }
        this.holds.clear();
    }
}
