package io.pielock.benchmark.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of the host's CPU time the hypervisor gave to other machines ("steal" in Linux's {@code /proc/stat})
 * between two readings. On a shared virtual machine a round with much steal ran on a slower machine than the
 * rounds beside it, for every contender in it; the report shows it per round so that such rounds can be told apart
 * from a contender's own variation.
 */
public final class HostSteal {

    private static final Path STAT = Path.of("/proc/stat");

    private HostSteal() {
    }

    /**
     * The host's CPU time so far, all CPUs together, in clock ticks.
     * @param steal stolen by the hypervisor
     * @param total user, nice, system, idle, iowait, irq, softirq and steal (guest time is already in user)
     */
    public record Reading(long steal, long total) {
    }

    /** @return the current reading, or {@code null} where {@code /proc/stat} cannot be read (not Linux) */
    public static Reading read() {
        try {
            return parse(Files.readAllLines(STAT).get(0));
        }
        catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    /**
     * @param cpuLine the first line of {@code /proc/stat}: {@code cpu user nice system idle iowait irq softirq
     *        steal ...}
     * @return its reading
     * @throws IllegalArgumentException if the line is not the {@code cpu} line or has fewer than eight counters
     */
    public static Reading parse(String cpuLine) {
        String[] fields = cpuLine.trim().split("\\s+");
        if (!fields[0].equals("cpu") || fields.length < 9) {
            throw new IllegalArgumentException("Not the cpu line of /proc/stat: " + cpuLine);
        }
        long total = 0;
        for (int i = 1; i <= 8; i++) {
            total += Long.parseLong(fields[i]);
        }
        return new Reading(Long.parseLong(fields[8]), total);
    }

    /**
     * @param from the earlier reading, or {@code null}
     * @param to the later reading, or {@code null}
     * @return the stolen share of the CPU time between them, in percent; {@code NaN} if either is missing or no
     *         time passed
     */
    public static double percent(Reading from, Reading to) {
        if (from == null || to == null || to.total() <= from.total()) {
            return Double.NaN;
        }
        return 100.0 * (to.steal() - from.steal()) / (to.total() - from.total());
    }
}
