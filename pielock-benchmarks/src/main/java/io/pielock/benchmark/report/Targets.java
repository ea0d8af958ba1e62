package io.pielock.benchmark.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.pielock.benchmark.RunResults;
import io.pielock.benchmark.contender.PielockConstantMemoryLimiter;
import io.pielock.benchmark.jmh.InterceptionBenchmarks.Score;
import io.pielock.benchmark.scenario.Measurement;
import io.pielock.benchmark.scenario.Metric;
import io.pielock.benchmark.scenario.ScenarioResult;

/**
 * The performance targets pielock was given for this benchmark (two cores), each checked against what one run
 * measured. Throughput targets compare the median over rounds of pielock's per-round ratio to the raw floor;
 * other figures are medians over rounds unless a row says otherwise.
 */
public final class Targets {

    /** The pielock contender's name in every scenario. */
    static final String PIELOCK = "pielock";

    /** Interception may add less than this per call, for each annotation. */
    static final double INTERCEPTION_NANOS = 2_000;

    private final RunResults run;

    /**
     * @param run what was measured
     */
    public Targets(RunResults run) {
        this.run = run;
    }

    /** Whether a target was met. */
    public enum Verdict {

        /** Met. */
        MET("met"),

        /** Not met. */
        NOT_MET("**not met**"),

        /** The measurement's error straddles the target. */
        UNDECIDED("undecided: the error straddles the target"),

        /** Not measured in this run. */
        NOT_MEASURED("not measured");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        /** @return how the report says it */
        public String text() {
            return this.text;
        }

        static Verdict of(boolean met) {
            return met ? MET : NOT_MET;
        }

        Verdict and(Verdict other) {
            if (this == NOT_MEASURED || other == NOT_MEASURED) {
                return NOT_MEASURED;
            }
            if (this == NOT_MET || other == NOT_MET) {
                return NOT_MET;
            }
            return (this == UNDECIDED || other == UNDECIDED) ? UNDECIDED : MET;
        }
    }

    /**
     * One target and what this run measured.
     * @param what the scenario or property
     * @param target what it must reach
     * @param measured pielock's figures from this run
     * @param verdict whether it reached it
     */
    public record Row(String what, String target, String measured, Verdict verdict) {
    }

    /** @return every target, in the order the issue lists them */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(throughput("1", "1. Uncontended, 1 thread", 0.95));
        rows.add(throughput("2", "2. Uncontended, 16 threads", 0.90));
        rows.add(oneKeyOneClient());
        rows.add(fourClients());
        rows.add(limiter("5", "5. Limiter, one hot key, 16 threads"));
        rows.add(limiter("6", "6. Limiter, 10,000 keys, 16 threads"));
        rows.add(memory());
        rows.add(constantMemory());
        rows.add(interception("`@DistributedLocked`", "LockInterceptionBenchmark"));
        rows.add(interception("`@RateLimited`", "LimiterInterceptionBenchmark"));
        rows.add(quietRelease());
        return rows;
    }

    private Row throughput(String id, String what, double least) {
        String target = String.format(Locale.ROOT, "≥ %.2f × floor", least);
        return scenario(id).filter(scenario -> scenario.contenders().contains(PIELOCK))
            .map(scenario -> new Row(what, target, ratioText(scenario, PIELOCK),
                    Verdict.of(scenario.medianRatio(PIELOCK) >= least)))
            .orElseGet(() -> notMeasured(what, target));
    }

    private Row oneKeyOneClient() {
        String what = "3. One key, 16 threads, one client";
        String target = "≥ 1.5 × floor; barging ≤ 10%";
        return scenario("3").map(scenario -> {
            double barging = scenario.median(PIELOCK, Metric.BARGING);
            return new Row(what, target, ratioText(scenario, PIELOCK) + "; barging " + percent(barging),
                    Verdict.of(scenario.medianRatio(PIELOCK) >= 1.5).and(Verdict.of(barging <= 10)));
        }).orElseGet(() -> notMeasured(what, target));
    }

    private Row fourClients() {
        String what = "4. One key, 16 threads over 4 clients";
        String target = "≥ 1.3 × floor; ≥ 70% cross-client handovers; cross-client handover p99 ≤ 2.5 ms";
        return scenario("4").map(scenario -> {
            double cross = scenario.median(PIELOCK, Metric.CROSS_CLIENT);
            double p99 = scenario.median(PIELOCK, Metric.CROSS_HANDOVER_P99);
            return new Row(what, target, ratioText(scenario, PIELOCK) + "; cross-client " + percent(cross)
                    + "; cross-client handover p99 " + String.format(Locale.ROOT, "%.2f ms", p99 / 1000),
                    Verdict.of(scenario.medianRatio(PIELOCK) >= 1.3).and(Verdict.of(cross >= 70))
                        .and(Verdict.of(p99 <= 2_500)));
        }).orElseGet(() -> notMeasured(what, target));
    }

    private Row limiter(String id, String what) {
        String target = "≥ 0.85 × floor; exact: most admitted in any window ≤ N";
        return scenario(id).map(scenario -> {
            double most = ScenarioResult.max(scenario.values(PIELOCK, Metric.MOST_CERTAIN));
            return new Row(what, target, ratioText(scenario, PIELOCK) + "; most admitted within one window "
                    + String.format(Locale.ROOT, "%.3f × N", most) + " (highest round)",
                    Verdict.of(scenario.medianRatio(PIELOCK) >= 0.85).and(Verdict.of(most <= 1)));
        }).orElseGet(() -> notMeasured(what, target));
    }

    private Row memory() {
        String what = "8. Limiter memory, 100 per minute after 100 calls (exact mode)";
        String target = "≤ 1,500 B/key; every key with a TTL";
        return scenario("8").map(scenario -> {
            double bytes = scenario.median(PIELOCK, Metric.BYTES_PER_KEY);
            double withTtl = ScenarioResult.min(scenario.values(PIELOCK, Metric.WITH_TTL));
            return new Row(what, target, String.format(Locale.ROOT, "%,.0f B/key; %.0f%% of its Redis keys with "
                    + "a TTL", bytes, withTtl), Verdict.of(bytes <= 1_500).and(Verdict.of(withTtl == 100)));
        }).orElseGet(() -> notMeasured(what, target));
    }

    private Row constantMemory() {
        String what = "O(1)-memory limiter mode";
        String target = "≤ 150 B/key (row 8); ≥ 0.9 × floor (rows 5, 6)";
        String name = PielockConstantMemoryLimiter.NAME;
        Optional<ScenarioResult> memory = scenario("8").filter(scenario -> scenario.contenders().contains(name));
        Optional<ScenarioResult> hot = scenario("5").filter(scenario -> scenario.contenders().contains(name));
        Optional<ScenarioResult> many = scenario("6").filter(scenario -> scenario.contenders().contains(name));
        if (memory.isEmpty() || hot.isEmpty() || many.isEmpty()) {
            return new Row(what, target, "the pielock measured has no constant-memory mode (`Algorithm.GCRA`)",
                    Verdict.NOT_MEASURED);
        }
        double bytes = memory.get().median(name, Metric.BYTES_PER_KEY);
        return new Row(what, target, String.format(Locale.ROOT, "%s: %,.0f B/key; row 5 %s; row 6 %s", name, bytes,
                ratioText(hot.get(), name), ratioText(many.get(), name)),
                Verdict.of(bytes <= 150).and(Verdict.of(hot.get().medianRatio(name) >= 0.9))
                    .and(Verdict.of(many.get().medianRatio(name) >= 0.9)));
    }

    private Row interception(String advice, String benchmark) {
        String what = "Interception overhead, " + advice + " (JMH)";
        String target = "< 2 µs per call";
        Optional<Difference> difference = difference(this.run.interception(), benchmark);
        if (difference.isEmpty()) {
            return notMeasured(what, target);
        }
        Difference d = difference.get();
        Verdict verdict = (d.high() < INTERCEPTION_NANOS) ? Verdict.MET
                : (d.low() >= INTERCEPTION_NANOS) ? Verdict.NOT_MET : Verdict.UNDECIDED;
        return new Row(what, target, d.text() + " (annotated − direct, median iterations; JMH means: "
                + String.format(Locale.ROOT, "%+,.0f ns", d.meanNanos()) + ")", verdict);
    }

    private Row quietRelease() {
        String what = "A release with nobody waiting";
        String target = "publishes nothing (no PUBLISH in rows 1, 2)";
        List<ScenarioResult> uncontended = this.run.scenarios().stream()
            .filter(scenario -> scenario.id().equals("1") || scenario.id().equals("2"))
            .toList();
        if (uncontended.isEmpty()) {
            return notMeasured(what, target);
        }
        long publishes = 0;
        long releases = 0;
        for (ScenarioResult scenario : uncontended) {
            publishes += (long) Arrays.stream(scenario.values(PIELOCK, Metric.PUBLISHES)).sum();
            releases += scenario.rounds(PIELOCK).stream().mapToLong(Measurement::operations).sum();
        }
        return new Row(what, target, String.format(Locale.ROOT, "%,d PUBLISH over %,d releases (every measured "
                + "round, its warm-up included)", publishes, releases), Verdict.of(publishes == 0));
    }

    /**
     * Annotated minus direct time per call of one interception benchmark, from the median iterations.
     * @param nanos the difference of the medians
     * @param low the least difference the medians' confidence intervals allow (annotated's low end minus direct's
     *        high end): with at least about 98% confidence, since each interval has 99%
     * @param high the greatest difference they allow
     * @param meanNanos the difference of JMH's means, for comparison
     */
    record Difference(double nanos, double low, double high, double meanNanos) {

        String text() {
            return String.format(Locale.ROOT, "%+,.0f ns (%+,.0f to %+,.0f)", this.nanos, this.low, this.high);
        }
    }

    /**
     * @param scores the JMH scores
     * @param benchmark a benchmark class's simple name
     * @return its annotated minus direct time per call, if both ran
     */
    static Optional<Difference> difference(List<Score> scores, String benchmark) {
        Optional<Score> direct = score(scores, benchmark, "direct");
        Optional<Score> annotated = score(scores, benchmark, "annotated");
        if (direct.isEmpty() || annotated.isEmpty()) {
            return Optional.empty();
        }
        Score a = annotated.get();
        Score d = direct.get();
        return Optional.of(new Difference(a.median() - d.median(), a.medianLow() - d.medianHigh(),
                a.medianHigh() - d.medianLow(), a.nanosPerCall() - d.nanosPerCall()));
    }

    static Optional<Score> score(List<Score> scores, String benchmark, String method) {
        return scores.stream()
            .filter(score -> score.benchmark().equals(benchmark) && score.method().equals(method))
            .findFirst();
    }

    private Optional<ScenarioResult> scenario(String id) {
        return this.run.scenarios().stream().filter(scenario -> scenario.id().equals(id)).findFirst();
    }

    private static Row notMeasured(String what, String target) {
        return new Row(what, target, "not run", Verdict.NOT_MEASURED);
    }

    /**
     * @param scenario a throughput scenario
     * @param contender one of its contenders
     * @return the median of its per-round throughput ratios to the floor, with each round's
     */
    static String ratioText(ScenarioResult scenario, String contender) {
        double[] ratios = scenario.ratios(contender);
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%.2f × floor (rounds: ",
                scenario.medianRatio(contender)));
        for (int round = 0; round < ratios.length; round++) {
            text.append((round == 0) ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", ratios[round]));
        }
        return text.append(')').toString();
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", value);
    }
}
