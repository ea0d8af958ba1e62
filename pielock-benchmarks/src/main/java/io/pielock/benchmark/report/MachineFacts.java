package io.pielock.benchmark.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The machine a run measured: figures from another machine are not comparable, only ratios are.
 * @param cpu the processor model
 * @param cores processors available to the JVM
 * @param memory total memory, e.g. {@code 23.4 GiB}
 * @param os operating system and kernel
 * @param jdk the JVM's name and version
 * @param redis the Redis server's version
 */
public record MachineFacts(String cpu, int cores, String memory, String os, String jdk, String redis) {

    /**
     * @param redisVersion what the server under test reports
     * @return the facts of this machine
     */
    public static MachineFacts collect(String redisVersion) {
        return new MachineFacts(procField("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch")),
                Runtime.getRuntime().availableProcessors(), totalMemory(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                "Redis " + redisVersion);
    }

    private static String totalMemory() {
        return procField("/proc/meminfo", "MemTotal")
            .map(text -> String.format(Locale.ROOT, "%.1f GiB",
                    Long.parseLong(text.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
            .orElse("unknown");
    }

    private static Optional<String> procField(String file, String field) {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.filter(line -> line.startsWith(field))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst();
        }
        catch (IOException | RuntimeException ex) {
            return Optional.empty();
        }
    }
}
