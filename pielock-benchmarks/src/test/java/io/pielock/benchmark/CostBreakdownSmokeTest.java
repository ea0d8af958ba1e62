package io.pielock.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pielock.benchmark.contender.CostVariant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cost breakdown runs every variant briefly and writes its report: every variant did operations and both
 * processes spent CPU on them. No timing is asserted. The benchmark itself is
 * {@code pielock-benchmarks/cost-breakdown.sh}.
 */
class CostBreakdownSmokeTest {

    @TempDir
    Path output;

    @Test
    void everyVariantRunsAndTheReportListsIt() throws Exception {
        CostBreakdownMain.Results results = CostBreakdownMain.run(new CostBreakdownMain.Options(2,
                Duration.ofMillis(300), Duration.ofMillis(500), 1, 100, "test"), System.out::println);

        assertThat(results.samples()).hasSize(9);
        assertThat(results.samples().keySet()).extracting(CostVariant::operation)
            .containsOnly(CostVariant.LIMITER, CostVariant.LOCK);
        results.samples().forEach((variant, samples) -> {
            assertThat(samples).as(variant.name()).hasSize(1);
            CostBreakdownMain.Sample sample = samples.get(0);
            assertThat(sample.operationsPerSecond()).as(variant.name()).isPositive();
            assertThat(sample.clientMicros()).as(variant.name()).isPositive();
            assertThat(sample.redisMicros()).as(variant.name()).isPositive();
        });
        String report = Files.readString(CostBreakdownMain.write(results, this.output));
        assertThat(report).contains("# pielock cost breakdown", "Do not edit");
        List<String> names = results.samples().keySet().stream().map(CostVariant::name).toList();
        assertThat(names).allSatisfy(name -> assertThat(report).contains("| " + name + " |"));
    }
}
