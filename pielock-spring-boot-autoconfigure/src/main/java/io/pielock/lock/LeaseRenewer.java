package io.pielock.lock;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Renews held leases in the background, about every third of the lease, on one daemon thread. A renewal that
 * finds another owner, or that cannot reach the store for longer than the lease, marks the hold lost and logs
 * it at WARN, so the eventual release can say so.
 * <p>
 * The holds it renews are those on the template's {@link LocalGates gates} that ask for renewal
 * ({@link Hold#renewed()}): starting and stopping a hold's renewal is a flag on the hold, with no set or scheduler
 * queue to update. The thread sleeps until the earliest renewal is due and is woken only when a new hold is due
 * before that, so short holds (the common case) cost no thread wake-up.
 */
final class LeaseRenewer implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(LeaseRenewer.class);

    private static final AtomicInteger instances = new AtomicInteger();

    /** The longest {@link #close()} waits for a renewal in flight. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    /** The thread is scanning: whoever adds a hold wakes it, so the scan's plan cannot miss the hold. */
    private static final long SCANNING = Long.MIN_VALUE;

    private final LockStore store;

    /** Where the holds are: a hold's gate carries it while it is held. */
    private final LocalGates gates;

    private final Thread thread;

    /** When (nanoTime) the thread plans to wake next, or {@link #SCANNING}. */
    private volatile long plannedWake = SCANNING;

    private volatile boolean closed;

    private volatile LockObserver observer = LockObserver.NONE;

    LeaseRenewer(LockStore store, LocalGates gates) {
        this.store = store;
        this.gates = gates;
        this.thread = new Thread(this::run, "pielock-renewal-" + instances.incrementAndGet());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void setObserver(LockObserver observer) {
        this.observer = observer;
    }

    /**
     * Renews {@code hold} from now on: first once a third of what is left of its lease has passed (a third of the
     * lease for a lock just acquired; sooner for one passed on by a release with a shorter lease), then every third
     * of its lease, for as long as it is on its gate and {@link Hold#renewed() renewed}.
     */
    void start(Hold hold) {
        long now = System.nanoTime();
        hold.renewDueAt(now + Math.max(1, hold.leaseLeftNanos(now) / 3));
        long planned = this.plannedWake;
        if (planned == SCANNING || hold.renewDueAt() - planned < 0) {
            LockSupport.unpark(this.thread);
        }
    }

    private void run() {
        while (!this.closed) {
            this.plannedWake = SCANNING;
            long now = System.nanoTime();
            long next = now + TimeUnit.HOURS.toNanos(1);
            for (LocalGates.Gate gate : this.gates.all()) {
                Hold hold = gate.hold;
                if (hold == null || !hold.renewed()) {
                    continue;
                }
                if (hold.renewDueAt() - now <= 0) {
                    renew(hold);
                    hold.renewDueAt(System.nanoTime() + period(hold));
                }
                if (hold.renewed() && hold.renewDueAt() - next < 0) {
                    next = hold.renewDueAt();
                }
            }
            this.plannedWake = next;
            LockSupport.parkNanos(this, next - System.nanoTime());
        }
    }

    private static long period(Hold hold) {
        return Math.max(1, hold.leaseNanos() / 3);
    }

    private void renew(Hold hold) {
        long sentAt = System.nanoTime();
        try {
            if (this.store.renew(hold.key(), hold.token(), Duration.ofNanos(hold.leaseNanos()))) {
                hold.confirmed(sentAt);
                this.observer.renewal(true);
                return;
            }
            this.observer.renewal(false);
            lose(hold, LockPolicy.LOST_TO_ANOTHER_OWNER);
        }
        catch (RuntimeException ex) {
            this.observer.renewal(false);
            if (!hold.isValid()) {
                lose(hold, LockPolicy.unreachableForLongerThanTheLease(ex));
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
        this.observer.leaseLost(hold.key());
        logger.warn(LockPolicy.Releases.lostLog(hold.key(), hold.fencingToken(), reason));
    }

    /**
     * Stops renewing, and waits briefly for a renewal in flight to finish (it may be blocked on the store). A scan
     * under way finishes (renewing what is due), then the thread leaves its loop; the holds it no longer renews go
     * to the garbage collector with this renewer.
     */
    @Override
    public void close() {
        this.closed = true;
        LockSupport.unpark(this.thread);
        try {
            this.thread.join(CLOSE_WAIT.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
