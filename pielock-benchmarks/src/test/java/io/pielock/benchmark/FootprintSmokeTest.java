package io.pielock.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pielock.benchmark.scenario.footprint.BytesFigure;
import io.pielock.benchmark.scenario.footprint.FanOut;
import io.pielock.benchmark.scenario.footprint.OperationCost;
import io.pielock.benchmark.scenario.footprint.Spread;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The footprint benchmark runs every part once with small counts and writes its report: it checks what must hold
 * whatever the machine (commands per operation, nothing left of released names, no message to stores that do not
 * wait), not speed. The benchmark itself is {@code pielock-benchmarks/footprint.sh}.
 */
class FootprintSmokeTest {

    @TempDir
    static Path output;

    private static FootprintResults results;

    @BeforeAll
    static void runOnce() throws Exception {
        results = new FootprintRun(FootprintSettings.small(output), System.out::println).run();
        FootprintMain.write(results, output);
    }

    @Test
    void everyOperationRanItsScriptOncePerOperation() {
        assertThat(results.costs()).hasSize(7);
        for (OperationCost cost : results.costs()) {
            assertThat(cost.callsPerOperation("evalsha") * (cost.operation().startsWith("lock cycle") ? 0.5 : 1))
                .as(cost.operation()).isEqualTo(1.0);
        }
    }

    @Test
    void aReleasedNameLeavesNothingOnceItsLeaseHasPassed() {
        BytesFigure released = results.bytes().stream()
            .filter(figure -> figure.what().equals("released lock name, after its lease"))
            .findFirst()
            .orElseThrow();
        assertThat(released.keysPerItem()).isZero();
    }

    @Test
    void onlyTheWaiterHearsARelease() {
        assertThat(results.fanOuts()).hasSize(2);
        for (FanOut fanOut : results.fanOuts()) {
            assertThat(fanOut.toWaiter()).isEqualTo(fanOut.releases());
            assertThat(fanOut.toHolder()).isZero();
            assertThat(fanOut.toOthers()).isZero();
        }
    }

    @Test
    void namesReachEveryMasterAndTheReportIsWritten() throws Exception {
        for (Spread spread : results.spreads()) {
            assertThat(spread.masters()).hasSize(3).allSatisfy(master -> assertThat(master.names()).isPositive());
            assertThat(spread.masters().stream().mapToLong(Spread.Master::names).sum()).isEqualTo(spread.total());
        }
        assertThat(Files.readString(output.resolve("footprint.md"))).contains("# pielock footprint", "Do not edit",
                "## 1. Redis commands", "## 2. Bytes", "## 3. Pub/sub", "## 4. Spread");
    }
}
