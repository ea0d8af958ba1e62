package io.pielock.benchmark.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What one contender did in one round of one scenario: its figures and anything it did wrong. */
public final class Measurement {

    private final Map<Metric, Double> values = new EnumMap<>(Metric.class);

    private final List<String> violations = new ArrayList<>();

    private long operations;

    /**
     * @param metric what
     * @param value its value (NaN when it does not apply)
     * @return this
     */
    public Measurement put(Metric metric, double value) {
        this.values.put(metric, value);
        return this;
    }

    /**
     * Records a violation when {@code violated}.
     * @param violated whether it happened
     * @param description what happened, with the figures
     * @return this
     */
    public Measurement violationIf(boolean violated, String description) {
        if (violated) {
            this.violations.add(description);
        }
        return this;
    }

    /**
     * @param count how many operations (lock cycles or decisions) completed, warm-up included
     * @return this
     */
    public Measurement operations(long count) {
        this.operations = count;
        return this;
    }

    /** @return how many operations completed, warm-up included: above zero if the contender ran at all */
    public long operations() {
        return this.operations;
    }

    /**
     * @param metric what
     * @return its value, NaN if not measured
     */
    public double get(Metric metric) {
        return this.values.getOrDefault(metric, Double.NaN);
    }

    /** @return what went wrong: overlapping holders, lost increments, over-admission, errors */
    public List<String> violations() {
        return Collections.unmodifiableList(this.violations);
    }
}
