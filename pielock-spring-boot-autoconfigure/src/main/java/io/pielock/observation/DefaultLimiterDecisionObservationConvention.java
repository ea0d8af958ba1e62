package io.pielock.observation;

import java.util.List;

import io.micrometer.common.KeyValues;

import io.pielock.limiter.KeyedLimits;
import io.pielock.observation.PielockObservationDocumentation.HighCardinalityKeyNames;
import io.pielock.observation.PielockObservationDocumentation.LowCardinalityKeyNames;

/**
 * The default names and tags of {@code pielock.limiter.decision}: low-cardinality {@code outcome} (once ended),
 * {@code store}, {@code name}; high-cardinality {@code key} (several keys comma-separated).
 */
public class DefaultLimiterDecisionObservationConvention implements LimiterDecisionObservationConvention {

    /** Shared instance. */
    public static final DefaultLimiterDecisionObservationConvention INSTANCE =
            new DefaultLimiterDecisionObservationConvention();

    @Override
    public String getName() {
        return "pielock.limiter.decision";
    }

    @Override
    public String getContextualName(LimiterDecisionContext context) {
        return "rate limit decision";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(LimiterDecisionContext context) {
        KeyValues values = KeyValues.of(LowCardinalityKeyNames.STORE.withValue(context.getStore()),
                LowCardinalityKeyNames.NAME.withValue(context.getLimitName()));
        return (context.getOutcome() != null) ? values.and(context.getOutcome().keyValue()) : values;
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(LimiterDecisionContext context) {
        return KeyValues.of(HighCardinalityKeyNames.KEY.withValue(keys(context.getKeys())));
    }

    private static String keys(List<KeyedLimits> keys) {
        if (keys.size() == 1) {
            return keys.get(0).key();
        }
        StringBuilder text = new StringBuilder();
        for (KeyedLimits keyed : keys) {
            text.append((text.length() > 0) ? "," : "").append(keyed.key());
        }
        return text.toString();
    }
}
