package io.pielock.benchmark.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.pielock.benchmark.measure.Percentiles;

/**
 * Every round of one scenario, and the figures the report shows: per contender, the median and range over rounds
 * of each metric, and, where the scenario measures throughput, the per-round ratio of its throughput to the
 * floor's in the same round (higher is better). Unmeasured warm-up rounds keep only their violations.
 */
public final class ScenarioResult {

    private final String id;

    private final String title;

    private final String label;

    private final String measures;

    private final Metric primary;

    private final List<Metric> metrics;

    private final List<String> contenders;

    private final Map<String, List<Measurement>> rounds = new LinkedHashMap<>();

    private final Map<String, List<Measurement>> warmUps = new LinkedHashMap<>();

    private final List<Double> roundSteal = new ArrayList<>();

    ScenarioResult(Scenario scenario) {
        this.id = scenario.id();
        this.title = scenario.title();
        this.label = scenario.label();
        this.measures = scenario.measures();
        this.primary = scenario.primary();
        this.metrics = scenario.metrics();
        this.contenders = scenario.contenders();
        this.contenders.forEach(name -> {
            this.rounds.put(name, new ArrayList<>());
            this.warmUps.put(name, new ArrayList<>());
        });
    }

    void add(String contender, Measurement measurement) {
        this.rounds.get(contender).add(measurement);
    }

    void addWarmUp(String contender, Measurement measurement) {
        this.warmUps.get(contender).add(measurement);
    }

    void addRoundSteal(double percent) {
        this.roundSteal.add(percent);
    }

    /**
     * @return per measured round, the share of the host's CPU time stolen by the hypervisor while it ran, in
     *         percent ({@code NaN} where it could not be read); see {@link io.pielock.benchmark.measure.HostSteal}
     */
    public double[] roundSteal() {
        return this.roundSteal.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** @return how many unmeasured warm-up rounds ran before the measured ones */
    public int warmUpRounds() {
        return this.warmUps.values().stream().mapToInt(List::size).max().orElse(0);
    }

    /** @return its number */
    public String id() {
        return this.id;
    }

    /** @return its title */
    public String title() {
        return this.title;
    }

    /** @return a few words for the chart */
    public String label() {
        return this.label;
    }

    /** @return what it measures */
    public String measures() {
        return this.measures;
    }

    /** @return the metric ratios are taken of */
    public Metric primary() {
        return this.primary;
    }

    /** @return every metric it reports */
    public List<Metric> metrics() {
        return this.metrics;
    }

    /** @return the contenders, the floor first */
    public List<String> contenders() {
        return this.contenders;
    }

    /** @return the floor's name */
    public String floor() {
        return this.contenders.get(0);
    }

    /**
     * @param contender one of {@link #contenders()}
     * @return its measurements, one per round, in round order
     */
    public List<Measurement> rounds(String contender) {
        return this.rounds.get(contender);
    }

    /**
     * @param contender one of {@link #contenders()}
     * @param metric what
     * @return its values, one per round
     */
    public double[] values(String contender, Metric metric) {
        return rounds(contender).stream().mapToDouble(measurement -> measurement.get(metric)).toArray();
    }

    /** @return whether its primary figure is a throughput, so that ratios to the floor are taken of it */
    public boolean hasRatios() {
        return this.primary == Metric.THROUGHPUT;
    }

    /**
     * @param contender one of {@link #contenders()}
     * @return per round, its throughput divided by the floor's throughput in the same round (1 for the floor
     *         itself; higher is better); empty where the scenario does not measure throughput ({@link #hasRatios()})
     */
    public double[] ratios(String contender) {
        if (!hasRatios()) {
            return new double[0];
        }
        double[] own = values(contender, this.primary);
        double[] floor = values(floor(), this.primary);
        double[] ratios = new double[Math.min(own.length, floor.length)];
        for (int round = 0; round < ratios.length; round++) {
            ratios[round] = own[round] / floor[round];
        }
        return ratios;
    }

    /**
     * @param contender one of {@link #contenders()}
     * @return the headline: the median of its per-round throughput ratios (NaN without ratios)
     */
    public double medianRatio(String contender) {
        return Percentiles.median(ratios(contender));
    }

    /**
     * @param contender one of {@link #contenders()}
     * @param metric what
     * @return the median over rounds of its values
     */
    public double median(String contender, Metric metric) {
        return Percentiles.median(values(contender, metric));
    }

    /**
     * @param values per-round values
     * @return the smallest, NaN ignored (NaN if none)
     */
    public static double min(double[] values) {
        return Arrays.stream(values).filter(value -> !Double.isNaN(value)).min().orElse(Double.NaN);
    }

    /**
     * @param values per-round values
     * @return the largest, NaN ignored (NaN if none)
     */
    public static double max(double[] values) {
        return Arrays.stream(values).filter(value -> !Double.isNaN(value)).max().orElse(Double.NaN);
    }

    /**
     * @param contender one of {@link #contenders()}
     * @return whether it violated anything in any round, warm-up rounds included
     */
    public boolean violated(String contender) {
        return Stream.concat(this.warmUps.get(contender).stream(), rounds(contender).stream())
            .anyMatch(measurement -> !measurement.violations().isEmpty());
    }

    /** @return every violation, each naming the scenario, contender and round (warm-up rounds included) */
    public List<String> violations() {
        List<String> all = new ArrayList<>();
        collect(all, this.warmUps, "warm-up round ");
        collect(all, this.rounds, "round ");
        return all;
    }

    private void collect(List<String> all, Map<String, List<Measurement>> byContender, String roundName) {
        byContender.forEach((contender, measurements) -> {
            for (int round = 0; round < measurements.size(); round++) {
                for (String violation : measurements.get(round).violations()) {
                    all.add("Scenario " + this.id + " (" + this.title + "), " + contender + ", " + roundName
                            + (round + 1) + ": " + violation);
                }
            }
        });
    }
}
