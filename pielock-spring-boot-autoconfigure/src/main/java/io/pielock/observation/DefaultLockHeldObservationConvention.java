package io.pielock.observation;

import io.micrometer.common.KeyValues;

import io.pielock.observation.PielockObservationDocumentation.HighCardinalityKeyNames;
import io.pielock.observation.PielockObservationDocumentation.LowCardinalityKeyNames;

/**
 * The default names and tags of {@code pielock.lock.held}: low-cardinality {@code released} (once ended),
 * {@code store}, {@code name}; high-cardinality {@code key}.
 */
public class DefaultLockHeldObservationConvention implements LockHeldObservationConvention {

    /** Shared instance. */
    public static final DefaultLockHeldObservationConvention INSTANCE = new DefaultLockHeldObservationConvention();

    @Override
    public String getName() {
        return "pielock.lock.held";
    }

    @Override
    public String getContextualName(LockHeldContext context) {
        return "lock held";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(LockHeldContext context) {
        KeyValues values = KeyValues.of(LowCardinalityKeyNames.STORE.withValue(context.getStore()),
                LowCardinalityKeyNames.NAME.withValue(context.getLockName()));
        return (context.getReleased() != null) ? values.and(context.getReleased().keyValue()) : values;
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(LockHeldContext context) {
        return KeyValues.of(HighCardinalityKeyNames.KEY.withValue(context.getKey()));
    }
}
