package io.pielock.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@code pielock.lock.acquire} observations. Implement it (or extend
 * {@link DefaultLockAcquireObservationConvention}) and declare it as a bean, or set it on the
 * observer, to replace the default.
 */
public interface LockAcquireObservationConvention extends ObservationConvention<LockAcquireContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof LockAcquireContext;
    }
}
