package io.pielock.lock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.pielock.key.Keys;
import io.pielock.lock.LocalGates.StoreWaiter;
import io.pielock.lock.LockAcquisitionException.Reason;

/**
 * Distributed locks: the one place where pielock decides how to acquire, wait, renew and release. A thin
 * layer over a {@link LockStore}, which answers each attempt atomically; {@code @DistributedLocked} is a thin
 * layer over this class.
 * <p>
 * Semantics:
 * <ul>
 * <li><b>Owner-safe.</b> Each acquisition stores its own random token; renewal and release compare it
 * atomically, so a process never deletes a lock that has passed to someone else.</li>
 * <li><b>Reentrant</b> by default. The thread that holds a key may acquire it again and must release it as often;
 * the count is kept in this JVM, the store holds one token. With {@link LockOptions#withReentrant(boolean)
 * reentrant} off, such an acquisition fails at once instead (the original pie-lock's behaviour).</li>
 * <li><b>Bounded tries.</b> With {@code tries} n, an acquisition gives up after n attempts spaced by
 * {@code retryAfter} (about {@code (n - 1) × retryAfter}), whether the holder is another process or a thread of
 * this JVM, or sooner at {@code timeout}.</li>
 * <li><b>Leased.</b> A lock frees itself {@code expires} after it was acquired or last renewed, so a crashed
 * process cannot hold it forever. While held, it is renewed about every third of {@code expires} (unless
 * {@code renew} is off); a lost lease is logged at WARN and reported by the release.</li>
 * <li><b>No busy polling.</b> One thread per key in each JVM waits on the store; it is woken when any process
 * releases the key, and polls every {@code retryAfter} only as a fallback (or sooner, when the holder's lease
 * runs out). Other local threads queue in the JVM, first come first served.</li>
 * <li><b>Local handover.</b> A thread releasing a key that other threads of this JVM wait for passes the lock on
 * in one store call (new owner token, new lease, new fencing token) instead of a release and an acquisition;
 * the next local thread holds it as soon as it is let through. When a process elsewhere waits for the key, that
 * call releases it instead, so processes take turns; only after this JVM has given way three times does one
 * handover go ahead of the processes waiting (they keep their place), so at least three of every four turns go
 * between processes.</li>
 * <li><b>Fenced.</b> Each acquisition gets a fencing token strictly greater than every earlier one for the
 * key.</li>
 * </ul>
 * Contention is reported in the result ({@link #acquire}) or as a {@link LockAcquisitionException}
 * ({@link #lock}, {@link #execute}); a store that cannot be reached is always an exception whose cause is the
 * store's error, never reported as contention.
 */
public class LockTemplate implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(LockTemplate.class);

    /**
     * How often one call sends an acquisition again after a transient store failure
     * ({@link LockStore#isTransient(RuntimeException)}), within its timeout.
     */
    static final int MAX_RESENDS = LockPolicy.MAX_RESENDS;

    private final LockStore store;

    private final LockOptions defaults;

    /** Each key a thread of this JVM holds or waits for: its local queue, its hold, its waiter on the store. */
    private final LocalGates gates = new LocalGates();

    private final LeaseRenewer renewer;

    private volatile LockObserver observer = LockObserver.NONE;

    private volatile boolean closed;

    /**
     * @param store where locks live
     */
    public LockTemplate(LockStore store) {
        this(store, LockOptions.defaults());
    }

    /**
     * @param store where locks live
     * @param defaults the options used when a call gives none
     */
    public LockTemplate(LockStore store, LockOptions defaults) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.defaults = Objects.requireNonNull(defaults, "defaults must not be null");
        this.renewer = new LeaseRenewer(store, this.gates);
        store.addReleaseListener(this::wake);
        store.addGrantListener(this::granted);
    }

    /**
     * Reports acquisitions, holds, renewals and lost leases to the given observer from now on (metrics and traces:
     * {@code io.pielock.observation.LockObservations} for Micrometer, which carries the replaceable observation
     * conventions). The auto-configuration sets it when Micrometer is present.
     * @param observer the observer, {@link LockObserver#NONE} for none (the default)
     */
    public void setObserver(LockObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer must not be null");
        this.renewer.setObserver(observer);
    }

    /** @return the options used when a call gives none (from {@code pielock.lock.*}) */
    public LockOptions defaults() {
        return this.defaults;
    }

    /**
     * Acquires {@code key}, waiting up to the default {@code timeout}.
     * @param key the lock's name
     * @return whether it was acquired, with a message naming the key; release it with {@link #release(String)}
     * @throws LockAcquisitionException only if the store cannot be reached (never for contention)
     * @throws IllegalArgumentException if the key is not valid ({@link Keys}: null, blank, or too long)
     */
    public LockResult acquire(String key) {
        return acquire(key, this.defaults);
    }

    /**
     * Acquires {@code key} with the given options, waiting up to their {@code timeout}.
     * @param key the lock's name
     * @param options how to acquire
     * @return whether it was acquired, with a message naming the key; release it with {@link #release(String)}
     * @throws LockAcquisitionException only if the store cannot be reached (never for contention)
     * @throws IllegalArgumentException if the key is not valid ({@link Keys}: null, blank, or too long)
     */
    public LockResult acquire(String key, LockOptions options) {
        Entry entry = enter(key, options);
        if (entry.handle != null) {
            return LockResult.acquired(key, entry.handle.fencingToken());
        }
        if (entry.reason == Reason.STORE_UNAVAILABLE) {
            throw new LockAcquisitionException(key, entry.reason, detail(entry, options), entry.cause);
        }
        return LockResult.failed(failureMessage(key, entry, options));
    }

    /**
     * Makes exactly one attempt to acquire {@code key}, without waiting (the original pie-lock's "optimistic
     * lock").
     * @param key the lock's name
     * @return whether it was acquired, with a message naming the key; release it with {@link #release(String)}
     * @throws LockAcquisitionException only if the store cannot be reached
     */
    public LockResult tryAcquire(String key) {
        return acquire(key, this.defaults.withTimeout(Duration.ZERO));
    }

    /**
     * Releases the calling thread's hold on {@code key}: one level of a reentrant hold, or the lock itself.
     * If this thread does not hold it (never did, or its lease was lost and perhaps taken by another process),
     * nothing in the store changes and the result says so.
     * @param key the lock's name
     * @return whether a valid hold was released, with a message naming the key
     */
    public ReleaseResult release(String key) {
        Hold hold = heldHere(key);
        if (hold == null || hold.owner() != Thread.currentThread()) {
            return new ReleaseResult(false, "Lock not held by this thread key: " + key);
        }
        return exit(hold);
    }

    /**
     * Acquires {@code key} with the default options, or throws.
     * @param key the lock's name
     * @return a handle to close (try-with-resources) when done
     * @throws LockAcquisitionException if the lock cannot be had or the store cannot be reached
     */
    public LockHandle lock(String key) {
        return lock(key, this.defaults);
    }

    /**
     * Acquires {@code key} with the given options, or throws.
     * @param key the lock's name
     * @param options how to acquire
     * @return a handle to close (try-with-resources) when done; any thread may close it
     * @throws LockAcquisitionException if the lock cannot be had or the store cannot be reached
     */
    public LockHandle lock(String key, LockOptions options) {
        Entry entry = enter(key, options);
        if (entry.handle == null) {
            throw new LockAcquisitionException(key, entry.reason, detail(entry, options), entry.cause);
        }
        return entry.handle;
    }

    /**
     * Acquires {@code key}, runs the action, and releases in {@code finally}.
     * @param key the lock's name
     * @param action the guarded code
     * @param <T> the result type
     * @return the action's result
     * @throws LockAcquisitionException if the lock cannot be had (the action does not run)
     */
    public <T> T execute(String key, Supplier<T> action) {
        return execute(key, this.defaults, action);
    }

    /**
     * Acquires {@code key} with the given options, runs the action, and releases in {@code finally} (after the
     * surrounding transaction completes, if there is one).
     * @param key the lock's name
     * @param options how to acquire
     * @param action the guarded code
     * @param <T> the result type
     * @return the action's result
     * @throws LockAcquisitionException if the lock cannot be had (the action does not run)
     */
    public <T> T execute(String key, LockOptions options, Supplier<T> action) {
        if (action == null) {
            throw new IllegalArgumentException("action must not be null");
        }
        try {
            return executeHolding(lock(key, options), action::get);
        }
        catch (RuntimeException | Error ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new IllegalStateException("Unexpected checked exception from a Supplier", ex);
        }
    }

    /**
     * Acquires {@code key}, runs the action, and releases in {@code finally}.
     * @param key the lock's name
     * @param action the guarded code
     * @throws LockAcquisitionException if the lock cannot be had (the action does not run)
     */
    public void run(String key, Runnable action) {
        run(key, this.defaults, action);
    }

    /**
     * Acquires {@code key} with the given options, runs the action, and releases in {@code finally}.
     * @param key the lock's name
     * @param options how to acquire
     * @param action the guarded code
     * @throws LockAcquisitionException if the lock cannot be had (the action does not run)
     */
    public void run(String key, LockOptions options, Runnable action) {
        if (action == null) {
            throw new IllegalArgumentException("action must not be null");
        }
        execute(key, options, () -> {
            action.run();
            return null;
        });
    }

    /**
     * Runs the callback with {@code handle} as this thread's {@link LockContext#current()}, then releases the
     * handle: at once, or, when a transaction that began further out is active, after it completes. Used by
     * {@code @DistributedLocked}; exceptions pass through unchanged.
     * @param handle a handle from {@link #lock(String, LockOptions)}
     * @param callback the guarded code
     * @param <T> the result type
     * @return the callback's result
     * @throws Throwable whatever the callback throws
     */
    public <T> T executeHolding(LockHandle handle, LockedCallback<T> callback) throws Throwable {
        LockContext.push(handle);
        try {
            return callback.doInLock();
        }
        finally {
            LockContext.pop();
            TransactionAwareRelease.release(handle);
        }
    }

    /**
     * The locks held through this template now, by any thread: a snapshot for operators (the actuator endpoint),
     * built on each call and never on the path of a lock.
     * @return each hold, ordered by key
     */
    public List<HeldLock> heldLocks() {
        long nanoNow = System.nanoTime();
        Instant wallNow = Instant.now();
        List<HeldLock> held = new ArrayList<>();
        this.gates.forEach((key, gate) -> {
            Hold hold = gate.hold;
            if (hold != null) {
                held.add(hold.snapshot(nanoNow, wallNow));
            }
        });
        held.sort(Comparator.comparing(HeldLock::key));
        return Collections.unmodifiableList(held);
    }

    /**
     * The keys threads of this template wait for now, with how many: threads queued behind a local holder or
     * waiter, plus the one thread that waits on the store for a lock held elsewhere. A snapshot for operators,
     * built on each call; the counts may move while it is built.
     * @return the number of waiting threads per key, ordered by key; keys nobody waits for are left out
     */
    public Map<String, Integer> waitingThreads() {
        Map<String, Integer> waiting = new TreeMap<>(this.gates.queued());
        this.gates.forEach((key, gate) -> {
            if (gate.storeWaiter != null) {
                waiting.merge(key, 1, Integer::sum);
            }
        });
        return Collections.unmodifiableMap(waiting);
    }

    /**
     * Stops lease renewal (locks still held will expire by their lease) and takes this template's waiting
     * acquisitions out of the store's wait queues, so that no release passes a lock to a process that is shutting
     * down; threads still waiting go on polling (they are not passed locks any more) until they give up.
     */
    @Override
    public void close() {
        this.closed = true;
        this.gates.forEach((key, gate) -> {
            StoreWaiter waiter = gate.storeWaiter;
            if (waiter == null) {
                return;
            }
            try {
                // a lock passed to it just before is taken (and released) by the waiting thread itself
                this.store.withdraw(key, waiter.token, waiter.lease);
            }
            catch (RuntimeException ex) {
                logger.debug("Could not take a waiter of lock key: " + key + " out of the store's queue", ex);
            }
        });
        this.renewer.close();
    }

    private Entry enter(String key, LockOptions options) {
        Keys.requireValid("Lock key", key);
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        LockObserver.Acquisition observed = this.observer.acquisitionStarted(this.store, key, options);
        Entry entry = tryEnter(key, options);
        if (entry.handle != null) {
            observed.acquired();
        }
        else {
            observed.failed(entry.reason, entry.cause);
        }
        return entry;
    }

    private Entry tryEnter(String key, LockOptions options) {
        Hold current = heldHere(key);
        if (current != null && current.owner() == Thread.currentThread()) {
            if (!options.reentrant()) {
                // waiting could never succeed: this very thread would have to let go first
                return Entry.failed(Reason.ALREADY_HELD, null);
            }
            if (!current.isValid()) {
                return Entry.failed(Reason.LEASE_LOST, null);
            }
            current.reenter();
            return Entry.acquired(new LockHandle(current));
        }
        long started = System.nanoTime();
        long deadline = started + options.timeout().toNanos();
        // tries bound the wait for a thread of this JVM too: the last try is due (tries - 1) × retryAfter from now
        long localWait = LockPolicy.localWait(options);
        LocalGates.Gate gate = this.gates.enter(key);
        int failuresBefore = gate.storeFailures.get();
        boolean permitted = false;
        Entry entry = null;
        try {
            permitted = (localWait == 0) ? gate.permit.tryAcquire()
                    : gate.permit.tryAcquire(localWait, TimeUnit.NANOSECONDS);
            if (!permitted) {
                // queued behind threads of this JVM: if their store calls failed meanwhile, that is why
                return Entry.gaveUp(LockPolicy.localGiveUpReason(options), gate, failuresBefore);
            }
            entry = acquireFromStore(key, options, deadline, LockPolicy.storeTries(options, System.nanoTime() - started), gate,
                    failuresBefore);
            return entry;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Entry.failed(Reason.INTERRUPTED, ex);
        }
        finally {
            if (entry == null || entry.handle == null) {
                if (permitted) {
                    gate.permit.release();
                }
                leaveGate(key, gate);
            }
        }
    }

    private Entry acquireFromStore(String key, LockOptions options, long deadline, int tries, LocalGates.Gate gate,
            int failuresBefore) {
        boolean once = options.timeout().isZero();
        String token = newToken();
        StoreWaiter waiter = new StoreWaiter(Thread.currentThread(), token, options.expires());
        boolean listening = false;
        // The last attempt that found the lock held: when it was sent, and the last fencing token issued for the
        // lock when it ran (0 if the store did not say). A grant heard later with a higher token was issued after
        // that attempt (tokens rise), so after it was sent.
        long lastRefusedAt = 0;
        long fencingSeen = 0;
        if (!once) {
            // Registered before the first attempt, so a release between attempt and wait still wakes us.
            gate.storeWaiter = waiter;
        }
        try {
            LocalGates.Grant grant = gate.handedOver.getAndSet(null);
            if (grant != null) {
                Entry granted = takeGrant(key, grant, options, gate);
                if (granted != null) {
                    return granted;
                }
            }
            for (int attempt = 1;; attempt++) {
                long sentAt = System.nanoTime();
                waiter.released = false; // a release from here on means: look again
                LockAttempt result = null;
                for (int resend = 0; result == null; resend++) {
                    try {
                        // once closed, a waiter no longer queues in the store: it polls
                        result = (once || this.closed) ? this.store.tryAcquire(key, token, options.expires())
                                        : this.store.tryAcquire(key, token, options.expires(),
                                                LockPolicy.retryWithin(deadline, options));
                    }
                    catch (RuntimeException ex) {
                        gate.storeFailed(ex);
                        if (!resendAfter(ex, resend, once, deadline, options)) {
                            return new Entry(null, Reason.STORE_UNAVAILABLE, ex,
                                    gate.storeFailures.get() - failuresBefore);
                        }
                        sentAt = System.nanoTime();
                    }
                }
                if (result.acquired()) {
                    return Entry.acquired(startHold(key, token, result.fencingToken(), options, sentAt, gate));
                }
                if (once) {
                    return Entry.gaveUp(Reason.HELD_ELSEWHERE, gate, failuresBefore);
                }
                lastRefusedAt = sentAt;
                fencingSeen = result.fencingToken();
                if (tries > 0 && attempt >= tries) {
                    return withdraw(key, token, options, gate, Entry.gaveUp(Reason.TRIES_EXHAUSTED, gate,
                            failuresBefore));
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return withdraw(key, token, options, gate, Entry.gaveUp(Reason.TIMEOUT, gate, failuresBefore));
                }
                if (!listening) {
                    listening = true;
                    if (this.store.awaitReleases(key, Duration.ofNanos(remaining))) {
                        continue; // subscribed just now: a release meanwhile went unheard, so look again at once
                    }
                }
                if (!waitForRelease(waiter, remaining, options.retryAfter(), result.holderTtl())) {
                    return withdraw(key, token, options, gate, Entry.failed(Reason.INTERRUPTED, null));
                }
                long fencingToken = waiter.grantedFencingToken;
                long grantedLease = waiter.grantedLeaseNanos;
                if (fencingSeen != 0 && fencingToken > fencingSeen && options.renew()
                        && System.nanoTime() - lastRefusedAt < grantedLease / 2) {
                    // A release in another process passed the lock to this acquisition after our last refused
                    // attempt ran (its token is higher than the last one issued then), so after it was sent: the
                    // lease it was passed on with counts from then at the earliest, and half of it is still to
                    // come. The renewer extends it to ours once a third of it has passed, so a handover costs no
                    // store call. Otherwise (a message delivered late, naming a grant whose lease may have run out
                    // and the lock gone on to another owner with a higher token; no renewal; or too long after) the
                    // next attempt confirms it, with the fencing token issued then.
                    return Entry.acquired(startHold(key, token, fencingToken, options, System.nanoTime(),
                            lastRefusedAt + grantedLease - options.expires().toNanos(), gate));
                }
            }
        }
        finally {
            if (!once) {
                gate.storeWaiter = null;
            }
            if (listening) {
                this.store.stopAwaitingReleases(key);
            }
        }
    }

    /**
     * A waiting acquisition gives up: takes it out of the store's wait queue. If a release passed it the lock just
     * before, it keeps it (a timeout or the last try met the lock on its way) unless the caller was interrupted,
     * which lets it go again at once.
     */
    private Entry withdraw(String key, String token, LockOptions options, LocalGates.Gate gate, Entry gaveUp) {
        long sentAt = System.nanoTime();
        LockAttempt result;
        try {
            result = this.store.withdraw(key, token, options.expires());
        }
        catch (RuntimeException ex) {
            // the queue entry runs out on its own (the waiter promised to try again within a while, and won't)
            logger.debug("Could not take a waiter of lock key: " + key + " out of the store's queue", ex);
            return gaveUp;
        }
        if (!result.acquired()) {
            return gaveUp;
        }
        if (gaveUp.reason != Reason.INTERRUPTED) {
            return Entry.acquired(startHold(key, token, result.fencingToken(), options, sentAt, gate));
        }
        try {
            this.store.release(key, token);
        }
        catch (RuntimeException ex) {
            logger.warn(LockPolicy.Releases.unreachableLog(key), ex);
        }
        return gaveUp;
    }

    /**
     * Takes a lock that the previous local holder passed on to this thread: already ours in the store, with its
     * lease. When this acquisition asks for another lease, or the grant has waited half its lease (its taker was
     * slow to come), one renewal confirms it and sets this acquisition's lease.
     * @return the entry, or null if the lock was lost meanwhile (then acquire as usual)
     */
    private Entry takeGrant(String key, LocalGates.Grant grant, LockOptions options, LocalGates.Gate gate) {
        if (grant.leaseNanos() == options.expires().toNanos()
                && System.nanoTime() - grant.sentAt() < grant.leaseNanos() / 2) {
            return Entry.acquired(startHold(key, grant.token(), grant.fencingToken(), options, grant.sentAt(), gate));
        }
        long sentAt = System.nanoTime();
        try {
            if (this.store.renew(key, grant.token(), options.expires())) {
                return Entry.acquired(startHold(key, grant.token(), grant.fencingToken(), options, sentAt, gate));
            }
            return null;
        }
        catch (RuntimeException ex) {
            return Entry.failed(Reason.STORE_UNAVAILABLE, ex);
        }
    }

    /**
     * After a failed store call: whether to send the same acquisition (same owner token) again, having paused
     * briefly. Only transient failures, at most {@link #MAX_RESENDS} times, and only while the caller's timeout
     * leaves time for it; a single attempt (timeout 0) is still sent again once, as it may have run.
     */
    private boolean resendAfter(RuntimeException failure, int resend, boolean once, long deadline,
            LockOptions options) {
        if (!LockPolicy.mayResend(this.store.isTransient(failure), resend, once)) {
            return false;
        }
        long pause = LockPolicy.resendPause(resend, options);
        if (!once && deadline - System.nanoTime() <= pause) {
            return false;
        }
        if (!once) {
            LockSupport.parkNanos(this, pause);
        }
        if (Thread.currentThread().isInterrupted()) {
            return false;
        }
        if (logger.isDebugEnabled()) {
            logger.debug("Sending the acquisition again after a transient store failure: " + failure);
        }
        return true;
    }

    /**
     * Parks until a release is announced, the pause runs out, or the thread is interrupted. The announcement is a
     * flag, not only an unpark: an unpark that arrived while this thread was blocked inside the store's client
     * (which parks too) would otherwise be used up there and lost.
     * @return false if interrupted
     */
    private boolean waitForRelease(StoreWaiter waiter, long remaining, Duration retryAfter, Duration holderTtl) {
        long pause = LockPolicy.retryPause(remaining, retryAfter, holderTtl);
        long until = System.nanoTime() + pause;
        for (long left = pause; !waiter.released && left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Starts the JVM's bookkeeping of a lock the store has just given this thread. Should that fail (it never
     * should), the lock is released in the store before the error leaves, so no lock is left held by nobody.
     */
    private LockHandle startHold(String key, String token, long fencingToken, LockOptions options, long sentAt,
            LocalGates.Gate gate) {
        return startHold(key, token, fencingToken, options, sentAt, sentAt, gate);
    }

    /**
     * @param startedAt when the hold began
     * @param confirmedAt the lease of {@code options} is known to last from this instant (earlier than
     *        {@code startedAt} for a lock passed on by a release with a shorter lease: the renewer then extends it
     *        to ours once a third of what is left of it has passed)
     */
    private LockHandle startHold(String key, String token, long fencingToken, LockOptions options,
            long startedAt, long confirmedAt, LocalGates.Gate gate) {
        Hold hold = null;
        try {
            hold = new Hold(this, key, token, fencingToken, options.expires().toNanos(),
                    startedAt, confirmedAt, gate,
                    this.observer.holdStarted(this.store, key, options));
            gate.hold = hold;
            if (options.renew()) {
                hold.renewWith(this.renewer);
            }
            return new LockHandle(hold);
        }
        catch (RuntimeException | Error ex) {
            if (hold != null) {
                gate.hold = null;
                hold.end();
            }
            try {
                this.store.release(key, token);
            }
            catch (RuntimeException releaseFailure) {
                ex.addSuppressed(releaseFailure);
            }
            throw ex;
        }
    }

    ReleaseResult exit(Hold hold) {
        String key = hold.key();
        int left = hold.leave();
        if (left < 0) {
            return LockPolicy.Releases.notHeld(key);
        }
        if (left > 0) {
            return LockPolicy.Releases.reentrant(key, left, hold.isValid(), "this thread");
        }
        hold.end();
        LocalGates.Gate gate = hold.gate();
        gate.hold = null;
        try {
            if (hold.lostReason() == null && hold.isValid() && gate.permit.hasQueuedThreads()) {
                return handOverInStore(hold, gate);
            }
            return releaseInStore(hold);
        }
        finally {
            gate.permit.release();
            leaveGate(key, gate);
        }
    }

    /** Leaves the key's gate; a lock handed over to nobody (its waiters gave up meanwhile) is released. */
    private void leaveGate(String key, LocalGates.Gate gate) {
        LocalGates.Grant orphan = this.gates.leave(key, gate);
        if (orphan != null) {
            try {
                this.store.release(key, orphan.token());
            }
            catch (RuntimeException ex) {
                logger.warn(LockPolicy.Releases.unreachableLog(key), ex);
            }
        }
    }

    /**
     * A thread of this JVM waits for the key: passes the lock to a new owner token for it in one store call (new
     * lease, new fencing token), so it holds the lock as soon as it takes the permit; the store releases the lock
     * instead when a process elsewhere waits for it, so processes take turns, except that after every
     * {@link LockPolicy#GIVE_WAY_BEFORE_LOCAL_TURN}th time this JVM gave way the next handover goes ahead of the
     * waiters elsewhere: one cheap local turn among at least three between processes.
     */
    private ReleaseResult handOverInStore(Hold hold, LocalGates.Gate gate) {
        String key = hold.key();
        String next = newToken();
        long sentAt = System.nanoTime();
        boolean ahead = gate.gaveWay >= LockPolicy.GIVE_WAY_BEFORE_LOCAL_TURN;
        LockAttempt result;
        try {
            result = this.store.handOver(key, hold.token(), next, Duration.ofNanos(hold.leaseNanos()),
                    this.defaults.retryAfter(), ahead);
        }
        catch (RuntimeException ex) {
            return unreachableAtRelease(hold, ex);
        }
        if (result.acquired()) {
            if (ahead) {
                gate.gaveWay = 0;
            }
            gate.handedOver.set(new LocalGates.Grant(next, result.fencingToken(), sentAt, hold.leaseNanos()));
            hold.holding().released();
            return new ReleaseResult(true, "Lock released key: " + key + " (handed to a waiting thread)");
        }
        if (result.holderTtl() == null) {
            gate.gaveWay++;
            hold.holding().released();
            return new ReleaseResult(true, "Lock released key: " + key + " (for a waiter in another process)");
        }
        return expiredAtRelease(hold);
    }

    private ReleaseResult releaseInStore(Hold hold) {
        String key = hold.key();
        if (hold.lostReason() != null) {
            hold.holding().leaseLost();
            return LockPolicy.Releases.lostBefore(key, hold.lostReason());
        }
        try {
            if (this.store.release(key, hold.token())) {
                hold.holding().released();
                return LockPolicy.Releases.released(key);
            }
        }
        catch (RuntimeException ex) {
            return unreachableAtRelease(hold, ex);
        }
        return expiredAtRelease(hold);
    }

    private static ReleaseResult unreachableAtRelease(Hold hold, RuntimeException ex) {
        String key = hold.key();
        hold.holding().unreachable(ex);
        logger.warn(LockPolicy.Releases.unreachableLog(key), ex);
        return LockPolicy.Releases.unreachable(key, ex);
    }

    private ReleaseResult expiredAtRelease(Hold hold) {
        this.observer.leaseLost(hold.key());
        hold.holding().leaseLost();
        logger.warn(LockPolicy.Releases.expiredLog(hold.key(), hold.fencingToken()));
        return LockPolicy.Releases.expired(hold.key());
    }

    /** @return the hold of {@code key} in this JVM, by whichever thread, or null */
    private Hold heldHere(String key) {
        LocalGates.Gate gate = this.gates.get(key);
        return (gate != null) ? gate.hold : null;
    }

    /** @return the thread of this JVM waiting on the store for {@code key}, or null */
    private StoreWaiter storeWaiter(String key) {
        LocalGates.Gate gate = this.gates.get(key);
        return (gate != null) ? gate.storeWaiter : null;
    }

    private void wake(String key) {
        StoreWaiter waiter = storeWaiter(key);
        if (waiter != null) {
            waiter.released = true;
            LockSupport.unpark(waiter.thread);
        }
    }

    int localGateCount() {
        return this.gates.size();
    }

    private String detail(Entry entry, LockOptions options) {
        return LockPolicy.detail(entry.reason, options, entry.storeFailures, this.store.describe());
    }

    /** @return the duration as a person writes it: {@code 30s}, {@code 250ms}, {@code 36500d} */
    static String text(Duration duration) {
        return LockPolicy.text(duration);
    }

    private String failureMessage(String key, Entry entry, LockOptions options) {
        return LockPolicy.failureMessage(key, entry.reason, options, entry.storeFailures, entry.cause,
                this.store.describe());
    }

    private static String newToken() {
        return LockPolicy.newToken();
    }

    /** A release passed the lock to a waiter of this JVM: wakes it, if it still waits with that owner token. */
    private void granted(String key, String token, long fencingToken, Duration lease) {
        StoreWaiter waiter = storeWaiter(key);
        if (waiter != null && waiter.token.equals(token)) {
            waiter.grantedLeaseNanos = lease.toNanos();
            waiter.grantedFencingToken = fencingToken;
            waiter.released = true;
            LockSupport.unpark(waiter.thread);
        }
    }

    /**
     * @param storeFailures how many store calls failed during the call (its own, or those of the threads of this
     *        JVM it queued behind); {@code cause} is the last
     */
    private record Entry(LockHandle handle, Reason reason, Throwable cause, int storeFailures) {

        static Entry acquired(LockHandle handle) {
            return new Entry(handle, null, null, 0);
        }

        static Entry failed(Reason reason, Throwable cause) {
            return new Entry(null, reason, cause, 0);
        }

        /** Gave up waiting: because of the store's failures meanwhile, if there were any. */
        static Entry gaveUp(Reason reason, LocalGates.Gate gate, int failuresBefore) {
            int failures = gate.storeFailures.get() - failuresBefore;
            return new Entry(null, reason, (failures > 0) ? gate.lastStoreFailure : null, Math.max(0, failures));
        }
    }
}
