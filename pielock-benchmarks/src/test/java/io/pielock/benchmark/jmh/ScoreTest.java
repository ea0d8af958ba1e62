package io.pielock.benchmark.jmh;

import org.junit.jupiter.api.Test;

import io.pielock.benchmark.jmh.InterceptionBenchmarks.Score;

import static org.assertj.core.api.Assertions.assertThat;

/** The median iteration and its order-statistics confidence interval. */
class ScoreTest {

    @Test
    void ranksBracketTheMedianWithNinetyNinePercentConfidence() {
        // P(Binomial(16, 1/2) <= 2) = 0.0021 <= 0.005 < P(<= 3) = 0.0106
        assertThat(Score.rank(16)).isEqualTo(3);
        // too few iterations for 99%: the whole range
        assertThat(Score.rank(3)).isEqualTo(1);
        assertThat(Score.rank(1)).isEqualTo(1);
    }

    @Test
    void oneDisturbedIterationMovesTheMeanButNotTheMedian() {
        double[] iterations = { 1000, 1100, 900, 1050, 950, 1000, 1020, 980, 40_000, 1010, 990, 1000, 1005, 995, 1000,
                1000 };
        Score score = new Score("B", "annotated", 3437, 10_000, iterations);
        assertThat(score.median()).isEqualTo(1000);
        assertThat(score.medianLow()).isEqualTo(980);
        assertThat(score.medianHigh()).isEqualTo(1050);
    }
}
