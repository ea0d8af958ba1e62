package io.pielock.observation;

import java.util.List;

import io.micrometer.observation.Observation;

import io.pielock.limiter.KeyedLimits;
import io.pielock.observation.PielockObservationDocumentation.DecisionOutcome;

/** What {@code pielock.limiter.decision} observes: one rate limit decision. */
public class LimiterDecisionContext extends Observation.Context {

    private final String store;

    private final List<KeyedLimits> keys;

    private final String limitName;

    private volatile DecisionOutcome outcome;

    /**
     * @param store where calls are counted ({@code redis}, {@code memory}, ...)
     * @param keys the evaluated keys with their limits
     * @param limitName what is limited ({@code ClassName.method}, or the name given to {@code Limiter.allow})
     */
    public LimiterDecisionContext(String store, List<KeyedLimits> keys, String limitName) {
        this.store = store;
        this.keys = keys;
        this.limitName = limitName;
    }

    /** @return where calls are counted */
    public String getStore() {
        return this.store;
    }

    /** @return the evaluated keys with their limits (high cardinality: keys may carry user ids) */
    public List<KeyedLimits> getKeys() {
        return this.keys;
    }

    /** @return what is limited: {@code ClassName.method}, or the name given to {@code Limiter.allow} */
    public String getLimitName() {
        return this.limitName;
    }

    /** @return how the decision ended, or {@code null} while it runs */
    public DecisionOutcome getOutcome() {
        return this.outcome;
    }

    /** @param outcome how the decision ended */
    public void setOutcome(DecisionOutcome outcome) {
        this.outcome = outcome;
    }
}
