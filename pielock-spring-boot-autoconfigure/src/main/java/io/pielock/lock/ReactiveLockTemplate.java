package io.pielock.lock;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import io.pielock.key.Keys;
import io.pielock.lock.LockAcquisitionException.Reason;

/**
 * Distributed locks for reactive code: the non-blocking sibling of {@link LockTemplate}, with the same options,
 * failure reasons, messages, fencing tokens and observer, over a {@link ReactiveLockStore} that shares the
 * blocking store's state (the same Lua scripts and keys on Redis), so blocking and reactive holders of a key
 * exclude each other.
 * <p>
 * Nothing blocks a thread:
 * <ul>
 * <li>A lock is acquired when the returned publisher is <b>subscribed to</b>, never at assembly; a failure to
 * acquire is an error signal ({@link LockAcquisitionException}).</li>
 * <li>Waiting is a timer, not a parked thread: a waiter listens for the key's releases (announced by the store)
 * and tries again when one is heard, or at the latest after {@code retryAfter} (sooner when the holder's lease
 * runs out), until {@code timeout} or {@code tries}. Subscribers of this template waiting for the same key queue
 * in the JVM, first come first served; only the first of them polls the store.</li>
 * <li>Leases are renewed by a timer about every third of {@code expires} while held (unless {@code renew} is off);
 * a lost lease is logged at WARN and reported by the release.</li>
 * <li>{@link #execute(String, Mono)} holds the lock while the action runs and releases it when the action
 * completes, fails or is cancelled.</li>
 * <li>Reentrancy follows the Reactor {@code Context}, not the thread: inside the action, a nested
 * {@code execute} or {@code lock} of the same key is reentrant (or fails at once with
 * {@link Reason#ALREADY_HELD} when not reentrant), and {@link ReactiveLockContext#current()} gives the hold.</li>
 * </ul>
 * Timers run on {@link Schedulers#parallel()}. The action is subscribed to on the thread that completed the
 * acquisition: the store's (a Lettuce I/O thread for Redis) or a Reactor parallel thread; use
 * {@code publishOn} for heavy work.
 */
public class ReactiveLockTemplate implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(ReactiveLockTemplate.class);

    private final ReactiveLockStore store;

    private final LockOptions defaults;

    private final Scheduler timer = Schedulers.parallel();

    private final ReactiveGates gates = new ReactiveGates();

    private final ConcurrentHashMap<String, ReactiveAcquisition> storeWaiters = new ConcurrentHashMap<>();

    private final Set<ReactiveHold> holds = ConcurrentHashMap.newKeySet();

    private final ReactiveLeaseRenewer renewer;

    private volatile LockObserver observer = LockObserver.NONE;

    /**
     * @param store where locks live
     * @param defaults the options used when a call gives none
     */
    public ReactiveLockTemplate(ReactiveLockStore store, LockOptions defaults) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.defaults = Objects.requireNonNull(defaults, "defaults must not be null");
        this.renewer = new ReactiveLeaseRenewer(store, this.timer);
        store.addReleaseListener(this::wake);
        // the owner tokens' process id comes from SecureRandom, which may read the OS's entropy: here, not on the
        // event loop of the first acquisition
        LockPolicy.newToken();
    }

    /**
     * Reports acquisitions, holds, renewals and lost leases to the given observer from now on, as
     * {@link LockTemplate#setObserver(LockObserver)} does.
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
     * Acquires {@code key} with the default options when subscribed to.
     * @param key the lock's name
     * @return the handle, once acquired; release it with {@link ReactiveLockHandle#release()}. Error signal
     *         {@link LockAcquisitionException} if the lock cannot be had or the store cannot be reached
     */
    public Mono<ReactiveLockHandle> lock(String key) {
        return lock(key, this.defaults);
    }

    /**
     * Acquires {@code key} with the given options when subscribed to, waiting (without blocking) up to their
     * {@code timeout}. Cancelling the subscription while it waits gives up the wait, leaving nothing behind.
     * @param key the lock's name
     * @param options how to acquire
     * @return the handle, once acquired; release it with {@link ReactiveLockHandle#release()}. Error signal
     *         {@link LockAcquisitionException} if the lock cannot be had or the store cannot be reached, and
     *         {@link IllegalArgumentException} if the key or the options are not valid
     */
    public Mono<ReactiveLockHandle> lock(String key, LockOptions options) {
        return Mono.deferContextual(context -> {
            Keys.requireValid("Lock key", key);
            if (options == null) {
                throw new IllegalArgumentException("options must not be null");
            }
            LockObserver.Acquisition observed = this.observer.acquisitionStarted(this.store, key, options);
            ReactiveLockHandle outer = ReactiveLockContext.find(context, key);
            if (outer != null && outer.hold().template() == this) {
                Mono<ReactiveLockHandle> again = reenter(key, options, outer, observed);
                if (again != null) {
                    return again;
                }
            }
            return Mono.<ReactiveLockHandle>create(sink -> new ReactiveAcquisition(this, key, options, sink, observed)
                .start());
        }).doOnDiscard(ReactiveLockHandle.class, handle -> handle.release().subscribe());
    }

    /** @return the nested acquisition's outcome, or null if the outer hold was let go meanwhile */
    private Mono<ReactiveLockHandle> reenter(String key, LockOptions options, ReactiveLockHandle outer,
            LockObserver.Acquisition observed) {
        ReactiveHold hold = outer.hold();
        Reason refused = !options.reentrant() ? Reason.ALREADY_HELD : !hold.isValid() ? Reason.LEASE_LOST : null;
        if (refused != null) {
            // waiting could never succeed: this very chain would have to let go first
            observed.failed(refused, null);
            return Mono.error(new LockAcquisitionException(key, refused, null));
        }
        if (!hold.reenter()) {
            return null;
        }
        observed.acquired();
        return Mono.just(new ReactiveLockHandle(hold));
    }

    /**
     * Makes exactly one attempt to acquire {@code key}, without waiting.
     * @param key the lock's name
     * @return the handle if acquired; empty when the lock is held elsewhere. Error signal
     *         {@link LockAcquisitionException} only if the store cannot be reached
     */
    public Mono<ReactiveLockHandle> tryAcquire(String key) {
        return lock(key, this.defaults.withTimeout(Duration.ZERO)).onErrorResume(LockAcquisitionException.class,
                ex -> (ex.getReason() == Reason.HELD_ELSEWHERE) ? Mono.empty() : Mono.error(ex));
    }

    /**
     * Acquires {@code key} with the default options when subscribed to, then subscribes to the action while
     * holding it, and releases it when the action completes, fails or is cancelled.
     * @param key the lock's name
     * @param action the guarded publisher, subscribed to only while the lock is held
     * @param <T> the result type
     * @return the action's result; error signal {@link LockAcquisitionException} if the lock cannot be had (the
     *         action is not subscribed to)
     */
    public <T> Mono<T> execute(String key, Mono<T> action) {
        return execute(key, this.defaults, action);
    }

    /**
     * As {@link #execute(String, Mono)}, with the given options.
     * @param key the lock's name
     * @param options how to acquire
     * @param action the guarded publisher
     * @param <T> the result type
     * @return the action's result
     */
    public <T> Mono<T> execute(String key, LockOptions options, Mono<T> action) {
        if (action == null) {
            return Mono.error(new IllegalArgumentException("action must not be null"));
        }
        return Mono.usingWhen(lock(key, options), handle -> action.contextWrite(c -> ReactiveLockContext.with(c, handle)),
                ReactiveLockHandle::release, (handle, error) -> handle.release(), ReactiveLockHandle::release);
    }

    /**
     * As {@link #execute(String, Mono)}, for a {@link Flux}: held from subscription until the last element and
     * completion, an error or a cancellation.
     * @param key the lock's name
     * @param action the guarded publisher
     * @param <T> the element type
     * @return the action's elements
     */
    public <T> Flux<T> execute(String key, Flux<T> action) {
        return execute(key, this.defaults, action);
    }

    /**
     * As {@link #execute(String, Flux)}, with the given options.
     * @param key the lock's name
     * @param options how to acquire
     * @param action the guarded publisher
     * @param <T> the element type
     * @return the action's elements
     */
    public <T> Flux<T> execute(String key, LockOptions options, Flux<T> action) {
        if (action == null) {
            return Flux.error(new IllegalArgumentException("action must not be null"));
        }
        return Flux.usingWhen(lock(key, options), handle -> action.contextWrite(c -> ReactiveLockContext.with(c, handle)),
                ReactiveLockHandle::release, (handle, error) -> handle.release(), ReactiveLockHandle::release);
    }

    /** Stops lease renewal. Locks still held will expire by their lease. */
    @Override
    public void close() {
        this.renewer.close();
    }

    ReactiveLockStore store() {
        return this.store;
    }

    ReactiveGates gates() {
        return this.gates;
    }

    Scheduler timer() {
        return this.timer;
    }

    void storeWaiting(String key, ReactiveAcquisition acquisition) {
        this.storeWaiters.put(key, acquisition);
    }

    void storeWaitingDone(String key, ReactiveAcquisition acquisition) {
        this.storeWaiters.remove(key, acquisition);
    }

    private void wake(String key) {
        ReactiveAcquisition waiter = this.storeWaiters.get(key);
        if (waiter != null) {
            waiter.releaseHeard();
        }
    }

    /** Passes the key's permit to the next queued acquisition, on a timer thread (not deeper in this stack). */
    void passPermit(ReactiveGates.Gate gate) {
        ReactiveAcquisition next = gate.pass();
        if (next != null) {
            this.timer.schedule(next::permitted);
        }
    }

    /** Starts the bookkeeping of a lock the store has just given an acquisition. */
    ReactiveHold startHold(String key, String token, long fencingToken, LockOptions options, long sentAt,
            ReactiveGates.Gate gate) {
        ReactiveHold hold = new ReactiveHold(this, key, token, fencingToken, options.expires().toNanos(), sentAt,
                gate, this.observer.holdStarted(this.store, key, options));
        this.holds.add(hold);
        if (options.renew()) {
            this.renewer.start(hold);
        }
        return hold;
    }

    /** Gives a lock back that nobody will hold (its acquisition was cancelled), logging a failure. */
    void releaseQuietly(String key, String token) {
        Mono.defer(() -> this.store.release(key, token)).subscribe(released -> {
        }, ex -> logger.warn(LockPolicy.Releases.unreachableLog(key), ex));
    }

    Mono<ReleaseResult> exit(ReactiveHold hold) {
        String key = hold.key();
        int left = hold.leave();
        if (left < 0) {
            return Mono.just(LockPolicy.Releases.notHeld(key));
        }
        if (left > 0) {
            return Mono.just(LockPolicy.Releases.reentrant(key, left, hold.isValid(), "this reactive chain"));
        }
        hold.end();
        this.holds.remove(hold);
        this.renewer.stop(hold);
        Mono<ReleaseResult> released;
        if (hold.lostReason() != null) {
            hold.holding().leaseLost();
            released = Mono.just(LockPolicy.Releases.lostBefore(key, hold.lostReason()));
        }
        else {
            released = Mono.defer(() -> this.store.release(key, hold.token()))
                .defaultIfEmpty(false)
                .map(ok -> {
                    if (ok) {
                        hold.holding().released();
                        return LockPolicy.Releases.released(key);
                    }
                    return expiredAtRelease(hold);
                })
                .onErrorResume(ex -> Mono.just(unreachableAtRelease(hold, ex)));
        }
        return released.doFinally(signal -> {
            passPermit(hold.gate());
            this.gates.leave(key, hold.gate());
        });
    }

    private static ReleaseResult unreachableAtRelease(ReactiveHold hold, Throwable ex) {
        hold.holding().unreachable(ex);
        logger.warn(LockPolicy.Releases.unreachableLog(hold.key()), ex);
        return LockPolicy.Releases.unreachable(hold.key(), ex);
    }

    private ReleaseResult expiredAtRelease(ReactiveHold hold) {
        this.observer.leaseLost(hold.key());
        hold.holding().leaseLost();
        logger.warn(LockPolicy.Releases.expiredLog(hold.key(), hold.fencingToken()));
        return LockPolicy.Releases.expired(hold.key());
    }

    /**
     * @return how many entries this template keeps now (gates, store waiters, holds, renewals): zero once nothing
     *         is held or waited for; for tests that prove nothing is left behind
     */
    int trackedEntries() {
        return this.gates.size() + this.storeWaiters.size() + this.holds.size() + this.renewer.size();
    }
}
