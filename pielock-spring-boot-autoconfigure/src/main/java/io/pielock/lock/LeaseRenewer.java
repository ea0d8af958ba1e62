package io.pielock.lock;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Renews held leases in the background, about every third of the lease, on one daemon thread. A renewal that
 * finds another owner, or that cannot reach the store for longer than the lease, marks the hold lost and logs
 * it at WARN, so the eventual release can say so.
 */
final class LeaseRenewer implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(LeaseRenewer.class);

    private static final AtomicInteger instances = new AtomicInteger();

    /** The longest {@link #close()} waits for a renewal in flight. */
    private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(2);

    private final LockStore store;

    private final ScheduledThreadPoolExecutor scheduler;

    LeaseRenewer(LockStore store) {
        this.store = store;
        String name = "pielock-renewal-" + instances.incrementAndGet();
        this.scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    void start(Hold hold) {
        long period = Math.max(1, hold.leaseNanos() / 3);
        hold.renewWith(this.scheduler.scheduleWithFixedDelay(() -> renew(hold), period, period,
                TimeUnit.NANOSECONDS));
    }

    private void renew(Hold hold) {
        long sentAt = System.nanoTime();
        try {
            if (this.store.renew(hold.key(), hold.token(), java.time.Duration.ofNanos(hold.leaseNanos()))) {
                hold.confirmed(sentAt);
                return;
            }
            lose(hold, "its lease expired and the lock was deleted or taken by another process");
        }
        catch (RuntimeException ex) {
            if (!hold.isValid()) {
                lose(hold, "the lock store could not be reached for longer than the lease (" + ex + ")");
            }
            else if (logger.isDebugEnabled()) {
                logger.debug("Could not renew lock key: " + hold.key() + "; will retry within the lease", ex);
            }
        }
    }

    private void lose(Hold hold, String reason) {
        if (!hold.lost(reason)) {
            return; // released by its owner while this renewal ran: the lock is gone because it was let go
        }
        logger.warn("Lost lock key: " + hold.key() + " (fencing token " + hold.fencingToken() + "): " + reason
                + ". The code holding it is no longer protected from other holders.");
    }

    /** Stops renewing, and waits briefly for a renewal in flight to finish (it may be blocked on the store). */
    @Override
    public void close() {
        this.scheduler.shutdownNow();
        try {
            this.scheduler.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
