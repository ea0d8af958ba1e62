package io.pielock.observation;

import io.micrometer.common.KeyValues;

import io.pielock.observation.PielockObservationDocumentation.HighCardinalityKeyNames;
import io.pielock.observation.PielockObservationDocumentation.LowCardinalityKeyNames;

/**
 * The default names and tags of {@code pielock.lock.acquire}: low-cardinality {@code outcome} (once ended),
 * {@code mode}, {@code store}, {@code name}; high-cardinality {@code key}.
 */
public class DefaultLockAcquireObservationConvention implements LockAcquireObservationConvention {

    /** Shared instance. */
    public static final DefaultLockAcquireObservationConvention INSTANCE =
            new DefaultLockAcquireObservationConvention();

    @Override
    public String getName() {
        return "pielock.lock.acquire";
    }

    @Override
    public String getContextualName(LockAcquireContext context) {
        return "lock acquire";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(LockAcquireContext context) {
        KeyValues values = KeyValues.of(context.getMode().keyValue(),
                LowCardinalityKeyNames.STORE.withValue(context.getStore()),
                LowCardinalityKeyNames.NAME.withValue(context.getLockName()));
        return (context.getOutcome() != null) ? values.and(context.getOutcome().keyValue()) : values;
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(LockAcquireContext context) {
        return KeyValues.of(HighCardinalityKeyNames.KEY.withValue(context.getKey()));
    }
}
