package io.pielock.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.pielock.benchmark.report.MarkdownReport;
import io.pielock.benchmark.report.RatioChart;

/**
 * Runs the benchmark with {@link Settings#fromSystemProperties()} and writes {@code report.md} and
 * {@code ratios.svg} into {@code bench.out}. Exits with status 2 when a correctness check failed (the report is
 * written first and says which).
 */
public final class BenchmarkMain {

    /** The chart's file name, beside the report. */
    static final String CHART = "ratios.svg";

    private BenchmarkMain() {
    }

    /**
     * @param args none; settings are system properties
     * @throws Exception if the run cannot be made
     */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        RunResults results = new BenchmarkRun(settings, System.out::println).run();
        Path report = write(results, settings.output());
        System.out.println("Report: " + report + " (" + results.elapsed().toSeconds() + " s)");
        if (!results.violations().isEmpty()) {
            System.out.println(results.violations().size() + " VIOLATION(S):");
            results.violations().forEach(violation -> System.out.println("  " + violation));
            System.exit(2);
        }
        System.exit(0);
    }

    /**
     * @param results what a run measured
     * @param directory where to write the report and chart
     * @return the report's path
     * @throws IOException if they cannot be written
     */
    public static Path write(RunResults results, Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(CHART), new RatioChart(results.scenarios()).svg());
        Path report = directory.resolve("report.md");
        Files.writeString(report, new MarkdownReport(results, CHART).markdown());
        return report;
    }
}
