package io.pielock.lock;

import io.pielock.lock.LockAcquisitionException.Reason;

/**
 * What a {@link LockTemplate} tells about its work, for metrics and traces: the one seam between the template and
 * instrumentation. It knows no metrics library, so the template runs without one; pielock's Micrometer
 * implementation is {@code io.pielock.observation.LockObservations}, installed by the auto-configuration when
 * Micrometer is present. Set one with {@link LockTemplate#setObserver(LockObserver)}.
 * <p>
 * Every method has a default that does nothing, and {@link #NONE} (the template's default) returns shared
 * do-nothing objects: without an observer, the hot path allocates nothing.
 */
public interface LockObserver {

    /** Observes nothing; the template's default. */
    LockObserver NONE = new LockObserver() {
    };

    /**
     * One call of the template begins to acquire a lock (one per {@code lock}, {@code acquire}, {@code execute},
     * {@code run} or annotated call, however many store round trips it takes).
     * @param store where the lock lives
     * @param key the lock's name (may carry user data: never a metric tag)
     * @param options how it is acquired, with its {@linkplain LockOptions#name() name}
     * @return what the template reports the acquisition's end to
     */
    default Acquisition acquisitionStarted(LockStore store, String key, LockOptions options) {
        return Acquisition.NONE;
    }

    /**
     * This JVM now holds a lock in the store (not called for a reentrant acquisition of a lock already held).
     * @param store where the lock lives
     * @param key the lock's name
     * @param options how it was acquired
     * @return what the template reports the hold's end to
     */
    default Holding holdStarted(LockStore store, String key, LockOptions options) {
        return Holding.NONE;
    }

    /**
     * As {@link #acquisitionStarted(LockStore, String, LockOptions)}, for a {@link ReactiveLockTemplate}: one
     * {@code lock}, {@code tryAcquire} or {@code execute} subscription begins to acquire a lock. Does nothing by
     * default.
     * @param store where the lock lives
     * @param key the lock's name (may carry user data: never a metric tag)
     * @param options how it is acquired
     * @return what the template reports the acquisition's end to (a cancelled wait ends as
     *         {@link LockAcquisitionException.Reason#INTERRUPTED})
     */
    default Acquisition acquisitionStarted(ReactiveLockStore store, String key, LockOptions options) {
        return Acquisition.NONE;
    }

    /**
     * As {@link #holdStarted(LockStore, String, LockOptions)}, for a {@link ReactiveLockTemplate}. Does nothing by
     * default.
     * @param store where the lock lives
     * @param key the lock's name
     * @param options how it was acquired
     * @return what the template reports the hold's end to
     */
    default Holding holdStarted(ReactiveLockStore store, String key, LockOptions options) {
        return Holding.NONE;
    }

    /**
     * A background renewal of a held lease ended.
     * @param renewed whether the lease was extended; {@code false} when the lock had another owner or the store
     *        could not be reached
     */
    default void renewal(boolean renewed) {
    }

    /**
     * A hold lost its lease: a renewal found the lock gone or taken, the store stayed unreachable for longer than
     * the lease, or the release found it expired. Reported once per hold.
     * @param key the lock's name
     */
    default void leaseLost(String key) {
    }

    /** One acquisition in progress; exactly one of its methods is called, once. */
    interface Acquisition {

        /** Reports nothing. */
        Acquisition NONE = new Acquisition() {

            @Override
            public void acquired() {
            }

            @Override
            public void failed(Reason reason, Throwable cause) {
            }
        };

        /** The lock was acquired (or, reentrantly, acquired again). */
        void acquired();

        /**
         * The lock was not acquired.
         * @param reason why
         * @param cause the store's error when it could not be reached, otherwise {@code null}
         */
        void failed(Reason reason, Throwable cause);
    }

    /** One hold in progress, from acquisition to release; exactly one of its methods is called, once. */
    interface Holding {

        /** Reports nothing. */
        Holding NONE = new Holding() {

            @Override
            public void released() {
            }

            @Override
            public void leaseLost() {
            }

            @Override
            public void unreachable(Throwable cause) {
            }
        };

        /** Released (or handed on) while still valid. */
        void released();

        /** At release, the lease had been lost; nothing was changed in the store. */
        void leaseLost();

        /**
         * The store could not be reached to release it; it frees itself when its lease runs out.
         * @param cause the store's error
         */
        void unreachable(Throwable cause);
    }
}
