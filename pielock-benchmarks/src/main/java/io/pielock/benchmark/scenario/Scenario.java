package io.pielock.benchmark.scenario;

import java.util.List;

/**
 * One row of the report: a workload that every contender of one kind runs, in rounds.
 * <p>
 * A scenario owns the clients it connects and closes them in {@link #close()}.
 */
public interface Scenario extends AutoCloseable {

    /** @return its number in the report */
    String id();

    /** @return a short title */
    String title();

    /** @return a few words under its bars in the chart */
    String label();

    /** @return exactly what it measures, for the report */
    String measures();

    /** @return the figure the ratio to the floor is taken of */
    Metric primary();

    /** @return every figure it reports, the primary one first */
    List<Metric> metrics();

    /**
     * @return whether unmeasured warm-up rounds run before the measured ones: for throughputs, which need the JIT
     *         to have compiled every contender's path first (not for accuracy or memory)
     */
    default boolean warmsUp() {
        return primary() == Metric.THROUGHPUT;
    }

    /** @return the contenders' names, the floor first */
    List<String> contenders();

    /**
     * Runs one contender once.
     * @param contender one of {@link #contenders()}
     * @param round which round (keys are fresh per round); negative for an unmeasured warm-up round
     * @return what it measured
     * @throws Exception if the run could not be made (violations are reported in the measurement, not thrown)
     */
    Measurement measure(String contender, int round) throws Exception;

    @Override
    default void close() {
    }
}
