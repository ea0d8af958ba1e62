package io.pielock.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@code pielock.lock.held} observations. Implement it (or extend
 * {@link DefaultLockHeldObservationConvention}) and declare it as a bean, or set it on the
 * observer, to replace the default.
 */
public interface LockHeldObservationConvention extends ObservationConvention<LockHeldContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof LockHeldContext;
    }
}
