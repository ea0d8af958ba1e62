package io.pielock.observation;

import io.micrometer.observation.Observation;

import io.pielock.observation.PielockObservationDocumentation.AcquireMode;
import io.pielock.observation.PielockObservationDocumentation.AcquireOutcome;

/** What {@code pielock.lock.acquire} observes: one acquisition of a lock. */
public class LockAcquireContext extends Observation.Context {

    private final String store;

    private final String key;

    private final String lockName;

    private final AcquireMode mode;

    private volatile AcquireOutcome outcome;

    /**
     * @param store where the lock lives ({@code redis}, {@code memory}, ...)
     * @param key the evaluated lock key
     * @param lockName what the lock is for ({@code ClassName.method}, or the name given in {@code LockOptions})
     * @param mode whether the acquisition may wait
     */
    public LockAcquireContext(String store, String key, String lockName, AcquireMode mode) {
        this.store = store;
        this.key = key;
        this.lockName = lockName;
        this.mode = mode;
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

    /** @return whether the acquisition may wait */
    public AcquireMode getMode() {
        return this.mode;
    }

    /** @return how the acquisition ended, or {@code null} while it runs */
    public AcquireOutcome getOutcome() {
        return this.outcome;
    }

    /** @param outcome how the acquisition ended */
    public void setOutcome(AcquireOutcome outcome) {
        this.outcome = outcome;
    }
}
