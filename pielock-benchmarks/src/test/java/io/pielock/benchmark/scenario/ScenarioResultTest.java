package io.pielock.benchmark.scenario;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pielock.benchmark.report.RatioChart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Ratios read one way: a contender's throughput over the floor's in the same round, higher is better. */
class ScenarioResultTest {

    @Test
    void throughputRatioIsContenderOverFloorPerRoundAndTheHeadlineIsTheirMedian() {
        ScenarioResult result = new ScenarioResult(new Fixed(Metric.THROUGHPUT));
        double[] floor = { 1000, 1000, 2000 };
        double[] fast = { 2000, 1500, 1000 };
        for (int round = 0; round < 3; round++) {
            result.add("floor", new Measurement().put(Metric.THROUGHPUT, floor[round]));
            result.add("fast", new Measurement().put(Metric.THROUGHPUT, fast[round]));
        }
        assertThat(result.hasRatios()).isTrue();
        assertThat(result.ratios("fast")).containsExactly(2.0, 1.5, 0.5);
        assertThat(result.medianRatio("fast")).isCloseTo(1.5, within(1e-9));
        assertThat(result.medianRatio("floor")).isEqualTo(1.0);
    }

    @Test
    void figuresThatAreNotThroughputsGetNoRatios() {
        ScenarioResult result = new ScenarioResult(new Fixed(Metric.BYTES_PER_KEY));
        result.add("floor", new Measurement().put(Metric.BYTES_PER_KEY, 72));
        result.add("fast", new Measurement().put(Metric.BYTES_PER_KEY, 3672));
        assertThat(result.hasRatios()).isFalse();
        assertThat(result.ratios("fast")).isEmpty();
        assertThat(result.median("fast", Metric.BYTES_PER_KEY)).isEqualTo(3672);
    }

    @Test
    void warmUpRoundsAreNotMeasuredButTheirViolationsCount() {
        ScenarioResult result = new ScenarioResult(new Fixed(Metric.THROUGHPUT));
        result.addWarmUp("fast", new Measurement().put(Metric.THROUGHPUT, 1).violationIf(true, "overlap"));
        result.add("fast", new Measurement().put(Metric.THROUGHPUT, 5));
        assertThat(result.values("fast", Metric.THROUGHPUT)).containsExactly(5.0);
        assertThat(result.violated("fast")).isTrue();
        assertThat(result.violations()).singleElement().asString().contains("fast, warm-up round 1: overlap");
        assertThat(result.warmUpRounds()).isEqualTo(1);
    }

    @Test
    void theChartCutsABarAboveItsAxisAndLabelsItWithItsValueLeavingTheOthersReadable() {
        ScenarioResult result = new ScenarioResult(new Fixed(Metric.THROUGHPUT));
        for (int round = 0; round < 3; round++) {
            result.add("floor", new Measurement().put(Metric.THROUGHPUT, 1000));
            result.add("fast", new Measurement().put(Metric.THROUGHPUT, 118_000));
        }
        String svg = new RatioChart(List.of(result)).svg();
        assertThat(svg).contains("; axis cut at 4.0</text>").contains("fill=\"white\">118.0</text>")
            .contains(">4.0</text>").doesNotContain(">4.5</text>").contains("stroke=\"white\" stroke-width=\"2\"");

        ScenarioResult modest = new ScenarioResult(new Fixed(Metric.THROUGHPUT));
        modest.add("floor", new Measurement().put(Metric.THROUGHPUT, 1000));
        modest.add("fast", new Measurement().put(Metric.THROUGHPUT, 1900));
        assertThat(new RatioChart(List.of(modest)).svg()).doesNotContain("axis cut").contains(">1.90</text>")
            .contains(">2.0</text>").doesNotContain(">2.5</text>");
    }

    private record Fixed(Metric primary) implements Scenario {

        @Override
        public String id() {
            return "0";
        }

        @Override
        public String title() {
            return "fixed";
        }

        @Override
        public String label() {
            return "fixed";
        }

        @Override
        public String measures() {
            return "nothing";
        }

        @Override
        public List<Metric> metrics() {
            return List.of(this.primary);
        }

        @Override
        public List<String> contenders() {
            return List.of("floor", "fast");
        }

        @Override
        public Measurement measure(String contender, int round) {
            return new Measurement().put(this.primary, Map.of("floor", 1.0).getOrDefault(contender, 2.0));
        }
    }
}
