package io.pielock.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@code pielock.limiter.decision} observations. Implement it (or extend
 * {@link DefaultLimiterDecisionObservationConvention}) and declare it as a bean, or set it on the
 * observer, to replace the default.
 */
public interface LimiterDecisionObservationConvention extends ObservationConvention<LimiterDecisionContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof LimiterDecisionContext;
    }
}
