package io.pielock.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pielock.benchmark.contender.Contenders;
import io.pielock.benchmark.contender.LimiterContender;
import io.pielock.benchmark.contender.LockContender;
import io.pielock.benchmark.scenario.ScenarioResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every contender runs every scenario once, briefly, and the JMH benchmarks run once in this JVM: the benchmark
 * builds, runs and finds no overlapping lock holders, no over-admission and no failed call. It asserts nothing about
 * speed; the benchmark itself is {@code pielock-benchmarks/run.sh}.
 */
class BenchmarkSmokeTest {

    @TempDir
    static Path output;

    private static RunResults results;

    @BeforeAll
    static void runOnce() throws Exception {
        // JMH takes a machine-wide lock file so that two measurements never share a machine; the smoke test
        // measures nothing, and must not fail because another build or benchmark runs beside it
        System.setProperty("jmh.ignoreLock", "true");
        results = new BenchmarkRun(Settings.smoke(output), System.out::println).run();
        BenchmarkMain.write(results, output);
    }

    @Test
    void noContenderViolatesMutualExclusionOrItsRateLimitPromiseOrFails() {
        assertThat(results.violations()).isEmpty();
    }

    @Test
    void everyContenderRanEveryScenario() {
        List<String> locks = Contenders.locks().stream().map(LockContender::name).toList();
        List<String> locksAndReferences = java.util.stream.Stream
            .concat(Contenders.locks().stream(), Contenders.lockReferences().stream())
            .map(LockContender::name)
            .toList();
        List<String> limiters = Contenders.limiters().stream().map(LimiterContender::name).toList();
        assertThat(results.scenarios()).extracting(ScenarioResult::id)
            .containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
        for (ScenarioResult scenario : results.scenarios()) {
            int id = Integer.parseInt(scenario.id());
            // the uncontended scenarios (1, 2) also run the references
            List<String> expected = (id <= 2) ? locksAndReferences : (id <= 4) ? locks : limiters;
            assertThat(scenario.contenders()).as("scenario %s", scenario.id()).isEqualTo(expected);
            for (String contender : expected) {
                assertThat(scenario.rounds(contender)).as("scenario %s, %s", scenario.id(), contender).hasSize(1);
                assertThat(scenario.rounds(contender).get(0).operations())
                    .as("operations of %s in scenario %s", contender, scenario.id())
                    .isPositive();
            }
            assertThat(scenario.roundSteal()).as("host steal per round of scenario %s", scenario.id()).hasSize(1);
        }
    }

    @Test
    void interceptionBenchmarksRanDirectAndAnnotatedCalls() {
        assertThat(results.interception()).extracting(score -> score.benchmark() + "." + score.method())
            .containsExactlyInAnyOrder("LockInterceptionBenchmark.direct", "LockInterceptionBenchmark.annotated",
                    "LimiterInterceptionBenchmark.direct", "LimiterInterceptionBenchmark.annotated");
    }

    @Test
    void reportAndChartAreWritten() throws Exception {
        assertThat(Files.readString(output.resolve("report.md"))).contains("# pielock performance report",
                "Only the ratios carry over between machines", "No violations", "higher is better", "## Targets",
                "A release with nobody waiting");
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(Files.readString(output.resolve("report.md"))).contains("| Host CPU steal | ",
                    "Host CPU steal per round: ");
        }
        assertThat(Files.readString(output.resolve("ratios.svg"))).startsWith("<svg").contains("pielock",
                "higher is better");
    }
}
