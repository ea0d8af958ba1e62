package io.pielock.observation;

import io.micrometer.observation.Observation;

import io.pielock.observation.PielockObservationDocumentation.HeldRelease;

/** What {@code pielock.lock.held} observes: one hold of a lock by this JVM, from acquisition to release. */
public class LockHeldContext extends Observation.Context {

    private final String store;

    private final String key;

    private final String lockName;

    private volatile HeldRelease released;

    /**
     * @param store where the lock lives ({@code redis}, {@code memory}, ...)
     * @param key the evaluated lock key
     * @param lockName what the lock is for ({@code ClassName.method}, or the name given in {@code LockOptions})
     */
    public LockHeldContext(String store, String key, String lockName) {
        this.store = store;
        this.key = key;
        this.lockName = lockName;
    }

    /** @return where the lock lives */
    public String getStore() {
        return this.store;
    }

    /** @return the evaluated lock key (high cardinality: may carry user ids) */
    public String getKey() {
        return this.key;
    }

    /** @return what the lock is for: {@code ClassName.method}, or the name given in {@code LockOptions} */
    public String getLockName() {
        return this.lockName;
    }

    /** @return how the hold ended, or {@code null} while it lasts */
    public HeldRelease getReleased() {
        return this.released;
    }

    /** @param released how the hold ended */
    public void setReleased(HeldRelease released) {
        this.released = released;
    }
}
