package io.pielock.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.pielock.benchmark.report.FootprintReport;

/**
 * Runs the footprint benchmark with {@link FootprintSettings#fromSystemProperties()} and writes
 * {@code footprint.md} into {@code bench.out}.
 */
public final class FootprintMain {

    /** The report's file name. */
    static final String REPORT = "footprint.md";

    private FootprintMain() {
    }

    /**
     * @param args none; settings are system properties
     * @throws Exception if the run cannot be made
     */
    public static void main(String[] args) throws Exception {
        FootprintSettings settings = FootprintSettings.fromSystemProperties();
        FootprintResults results = new FootprintRun(settings, System.out::println).run();
        Path report = write(results, settings.output());
        System.out.println("Report: " + report + " (" + results.elapsed().toSeconds() + " s)");
        System.exit(0);
    }

    /**
     * @param results what a run measured
     * @param directory where to write the report
     * @return the report's path
     * @throws IOException if it cannot be written
     */
    public static Path write(FootprintResults results, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path report = directory.resolve(REPORT);
        Files.writeString(report, new FootprintReport(results).markdown());
        return report;
    }
}
