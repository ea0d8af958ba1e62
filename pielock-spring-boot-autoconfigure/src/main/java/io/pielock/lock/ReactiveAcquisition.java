package io.pielock.lock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import io.pielock.lock.LockAcquisitionException.Reason;

/**
 * One subscription's way to a lock, as a chain of callbacks instead of a waiting thread: queue for the key's
 * local permit ({@link ReactiveGates}), try the store, on contention listen for the key's releases and wait for
 * one, or for a timer (retryAfter, the rest of the timeout, the holder's lease), try again; until acquired, given
 * up, or cancelled. The policy (tries, timeout, resends, pauses, messages) is {@link LockPolicy}'s, shared with
 * {@link LockTemplate}.
 * <p>
 * Cancellation leaves nothing behind: a queued or waiting acquisition leaves the queue and drops its timer at
 * once; one whose store call is in flight lets the call answer (cancelling would not unsend it) and releases a
 * lock it was given; one cancelled after it was granted, before its handle reached the subscriber, releases the
 * handle itself, since Reactor drops (rather than discards) a value that races with a cancel on another thread.
 */
final class ReactiveAcquisition {

    private static final Log logger = LogFactory.getLog(ReactiveAcquisition.class);

    private enum State {
        /** Queued behind another acquisition or hold of this template. */
        QUEUED,
        /** A store call (or the subscription to releases) is in flight. */
        STORE,
        /** Waiting for a release or a timer. */
        WAITING,
        /**
         * Granted by the store; the handle is handed to the subscriber. A cancel from here on means the handle
         * never got there: the sink calls {@link #cancel()} only if the cancel beat the value.
         */
        GRANTED,
        /** Acquired, failed or cancelled: nothing more happens. */
        DONE
    }

    private final ReactiveLockTemplate template;

    private final ReactiveLockStore store;

    private final String key;

    private final LockOptions options;

    private final MonoSink<ReactiveLockHandle> sink;

    private final LockObserver.Acquisition observed;

    private final boolean once;

    private final long started = System.nanoTime();

    private final long deadline;

    private final String token = LockPolicy.newToken();

    private ReactiveGates.Gate gate;

    private int failuresBefore;

    /** Whether it has let go of its gate: exactly once. */
    private final AtomicBoolean finished = new AtomicBoolean();

    /** Whether this acquisition holds the gate's permit. */
    private volatile boolean permitted;

    // the fields below are only touched by one callback at a time: each step starts the next
    private int tries;

    private int attempt;

    private int resend;

    private boolean listening;

    /** A release was heard since the last attempt was sent: look again. */
    private volatile boolean releaseHeard;

    // guarded by this
    private State state = State.QUEUED;

    // guarded by this
    private Disposable timer;

    // guarded by this
    private boolean cancelled;

    /** The handle handed to the subscriber (state GRANTED), for a cancel that beat it there to release. */
    // guarded by this
    private ReactiveLockHandle handle;

    ReactiveAcquisition(ReactiveLockTemplate template, String key, LockOptions options,
            MonoSink<ReactiveLockHandle> sink, LockObserver.Acquisition observed) {
        this.template = template;
        this.store = template.store();
        this.key = key;
        this.options = options;
        this.sink = sink;
        this.observed = observed;
        this.once = options.timeout().isZero();
        this.deadline = this.started + options.timeout().toNanos();
    }

    void start() {
        this.gate = this.template.gates().enter(this.key);
        this.failuresBefore = this.gate.storeFailures.get();
        this.sink.onCancel(this::cancel);
        if (this.once) {
            if (this.gate.tryTake()) {
                permitted();
            }
            else {
                giveUp(Reason.HELD_ELSEWHERE);
            }
            return;
        }
        if (this.gate.takeOrQueue(this)) {
            permitted();
            return;
        }
        // queued behind an acquisition or hold of this template: give up when its wait runs out
        Disposable wait = this.template.timer().schedule(this::localWaitOver, LockPolicy.localWait(this.options),
                TimeUnit.NANOSECONDS);
        synchronized (this) {
            if (this.state == State.QUEUED && !this.cancelled) {
                this.timer = wait;
                return;
            }
        }
        wait.dispose();
    }

    /** The gate's permit is this acquisition's now: go to the store (unless cancelled meanwhile). */
    void permitted() {
        this.permitted = true;
        Disposable wait;
        boolean wasCancelled;
        synchronized (this) {
            wasCancelled = this.cancelled;
            wait = this.timer;
            this.timer = null;
            this.state = wasCancelled ? State.DONE : State.STORE;
        }
        if (wait != null) {
            wait.dispose();
        }
        if (wasCancelled) {
            letGo();
            return;
        }
        this.tries = LockPolicy.storeTries(this.options, System.nanoTime() - this.started);
        if (!this.once) {
            // before the first attempt, so a release between attempt and wait still wakes this acquisition
            this.template.storeWaiting(this.key, this);
        }
        send();
    }

    private void localWaitOver() {
        if (!this.gate.remove(this)) {
            return; // the permit is being passed to it
        }
        boolean cancelledMeanwhile;
        synchronized (this) {
            cancelledMeanwhile = this.state != State.QUEUED;
            this.state = State.DONE;
            this.timer = null;
        }
        // taken out of the queue here, so this lets go of the gate, even for a cancel that found it gone
        letGo();
        if (!cancelledMeanwhile) {
            failed(LockPolicy.localGiveUpReason(this.options), gaveUpCause(), gaveUpFailures());
        }
    }

    /** Sends one attempt to the store (the same token each time). */
    private void send() {
        this.releaseHeard = false; // a release from here on means: look again
        long sentAt = System.nanoTime();
        Mono.defer(() -> this.once ? this.store.tryAcquire(this.key, this.token, this.options.expires())
                : this.store.tryAcquire(this.key, this.token, this.options.expires(),
                        LockPolicy.retryWithin(this.deadline, this.options)))
            .switchIfEmpty(Mono.error(() -> new IllegalStateException(
                    "The lock store answered nothing to an acquisition of key: " + this.key)))
            .subscribe(result -> answered(result, sentAt), this::storeFailed);
    }

    private void answered(LockAttempt result, long sentAt) {
        this.resend = 0;
        this.attempt++;
        if (result.acquired()) {
            granted(result.fencingToken(), sentAt);
            return;
        }
        if (finishIfCancelled()) {
            return;
        }
        if (this.once) {
            giveUp(Reason.HELD_ELSEWHERE);
            return;
        }
        if (this.tries > 0 && this.attempt >= this.tries) {
            giveUp(Reason.TRIES_EXHAUSTED);
            return;
        }
        if (this.deadline - System.nanoTime() <= 0) {
            giveUp(Reason.TIMEOUT);
            return;
        }
        if (!this.listening) {
            this.listening = true;
            Mono.defer(() -> this.store.awaitReleases(this.key))
                .onErrorResume(ex -> {
                    logger.debug("Could not listen for the releases of lock key: " + this.key + "; polling", ex);
                    return Mono.just(false);
                })
                .defaultIfEmpty(false)
                .subscribe(fresh -> {
                    if (fresh) {
                        // subscribed just now: a release meanwhile went unheard, so look again at once
                        retryAfter(0);
                    }
                    else {
                        waitForRelease(result);
                    }
                });
            return;
        }
        waitForRelease(result);
    }

    private void waitForRelease(LockAttempt result) {
        long remaining = this.deadline - System.nanoTime();
        retryAfter(this.releaseHeard ? 0 : LockPolicy.retryPause(remaining, this.options.retryAfter(),
                result.holderTtl()));
    }

    /** Plans the next attempt after {@code pause} nanoseconds, or sooner when a release is heard. */
    private void retryAfter(long pause) {
        synchronized (this) {
            if (this.cancelled) {
                this.state = State.DONE;
            }
            else {
                this.state = State.WAITING;
                // scheduled even at 0: each attempt starts afresh on a timer thread, not deeper in this stack
                this.timer = this.template.timer().schedule(this::wake, Math.max(0, pause), TimeUnit.NANOSECONDS);
                return;
            }
        }
        letGo();
    }

    /** A release of the key was heard (on whatever thread heard it): look again now if waiting. */
    void releaseHeard() {
        this.releaseHeard = true;
        Disposable planned;
        synchronized (this) {
            if (this.state != State.WAITING) {
                return;
            }
            planned = this.timer;
            this.timer = this.template.timer().schedule(this::wake);
        }
        if (planned != null) {
            planned.dispose();
        }
    }

    private void wake() {
        synchronized (this) {
            if (this.state != State.WAITING) {
                return;
            }
            this.state = State.STORE;
            this.timer = null;
        }
        send();
    }

    private void storeFailed(Throwable failure) {
        this.gate.storeFailed(failure);
        if (finishIfCancelled()) {
            return;
        }
        if (LockPolicy.mayResend(this.store.isTransient(failure), this.resend, this.once)) {
            long pause = LockPolicy.resendPause(this.resend, this.options);
            if (this.once || this.deadline - System.nanoTime() > pause) {
                if (logger.isDebugEnabled()) {
                    logger.debug("Sending the acquisition again after a transient store failure: " + failure);
                }
                this.resend++;
                retryAfter(this.once ? 0 : pause);
                return;
            }
        }
        synchronized (this) {
            this.state = State.DONE;
        }
        letGo();
        failed(Reason.STORE_UNAVAILABLE, failure, this.gate.storeFailures.get() - this.failuresBefore);
    }

    private void granted(long fencingToken, long sentAt) {
        boolean wasCancelled;
        synchronized (this) {
            wasCancelled = this.cancelled;
            this.state = wasCancelled ? State.DONE : State.GRANTED;
        }
        if (wasCancelled) {
            // cancelled while the store gave it: give it back, so no lock is left held by nobody
            this.template.releaseQuietly(this.key, this.token);
            letGo();
            return;
        }
        stopWaiting();
        ReactiveLockHandle granted;
        try {
            granted = new ReactiveLockHandle(this.template.startHold(this.key, this.token, fencingToken,
                    this.options, sentAt, this.gate));
        }
        catch (RuntimeException | Error ex) {
            synchronized (this) {
                this.state = State.DONE;
            }
            this.template.releaseQuietly(this.key, this.token);
            letGo();
            this.observed.failed(Reason.STORE_UNAVAILABLE, ex);
            this.sink.error(ex);
            return;
        }
        boolean cancelledMeanwhile;
        synchronized (this) {
            cancelledMeanwhile = this.cancelled;
            this.handle = cancelledMeanwhile ? null : granted;
        }
        this.observed.acquired();
        if (cancelledMeanwhile) {
            // cancelled while the hold was set up: nobody will receive the handle, so nobody else releases it
            granted.release().subscribe();
            return;
        }
        this.sink.success(granted);
    }

    private void cancel() {
        State was;
        Disposable planned;
        ReactiveLockHandle undelivered;
        synchronized (this) {
            if (this.state == State.DONE) {
                return;
            }
            this.cancelled = true;
            was = this.state;
            planned = this.timer;
            this.timer = null;
            undelivered = this.handle;
            this.handle = null;
            if (was != State.STORE) {
                this.state = State.DONE;
            }
        }
        if (planned != null) {
            planned.dispose();
        }
        if (was == State.GRANTED) {
            // The sink calls this after the grant only if the cancel beat the handle to the subscriber: Reactor
            // then drops the handle (a cancel racing with it on another thread) or discards it. Release it here;
            // a second release (the discard hook's) is harmless. No handle yet: granted() sees the cancel.
            if (undelivered != null) {
                undelivered.release().subscribe();
            }
            return;
        }
        this.observed.failed(Reason.INTERRUPTED, null);
        if (was == State.QUEUED) {
            if (this.gate.remove(this)) {
                letGo();
            }
            // otherwise the permit is being passed to it (permitted() sees the cancel and passes it on), or its
            // local wait ran out at this moment (localWaitOver() lets go)
        }
        else if (was == State.WAITING) {
            letGo();
        }
        // in flight (STORE): the answer sees the cancel and finishes
    }

    /** @return whether the subscriber cancelled: then this acquisition lets go of everything */
    private boolean finishIfCancelled() {
        synchronized (this) {
            if (!this.cancelled) {
                return false;
            }
            this.state = State.DONE;
        }
        letGo();
        return true;
    }

    private void giveUp(Reason reason) {
        synchronized (this) {
            this.state = State.DONE;
        }
        letGo();
        failed(reason, gaveUpCause(), gaveUpFailures());
    }

    /** Gave up waiting: because of the store's failures meanwhile, if there were any. */
    private Throwable gaveUpCause() {
        return (gaveUpFailures() > 0) ? this.gate.lastStoreFailure : null;
    }

    private int gaveUpFailures() {
        return Math.max(0, this.gate.storeFailures.get() - this.failuresBefore);
    }

    private void failed(Reason reason, Throwable cause, int storeFailures) {
        this.observed.failed(reason, cause);
        this.sink.error(new LockAcquisitionException(this.key, reason,
                LockPolicy.detail(reason, this.options, storeFailures, this.store.describe()), cause));
    }

    /** Stops waiting and lets go of the permit and the gate (a failed or cancelled acquisition), once. */
    private void letGo() {
        if (!this.finished.compareAndSet(false, true)) {
            return;
        }
        stopWaiting();
        if (this.permitted) {
            this.permitted = false;
            this.template.passPermit(this.gate);
        }
        this.template.gates().leave(this.key, this.gate);
    }

    private void stopWaiting() {
        if (!this.once) {
            this.template.storeWaitingDone(this.key, this);
        }
        if (this.listening) {
            this.listening = false;
            this.store.stopAwaitingReleases(this.key);
        }
    }
}
