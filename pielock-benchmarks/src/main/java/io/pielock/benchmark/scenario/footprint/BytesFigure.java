package io.pielock.benchmark.scenario.footprint;

/**
 * What one kind of thing costs in Redis memory.
 * @param what what was counted, e.g. {@code held lock}
 * @param how how it was made
 * @param count how many were made
 * @param usedMemoryPerItem the growth of {@code INFO memory used_memory} divided by {@code count}, in bytes
 * @param memoryUsagePerItem the {@code MEMORY USAGE} of one item's keys (averaged over a sample), in bytes;
 *        {@code NaN} when nothing is left to ask about
 * @param keysPerItem Redis keys per item ({@code DBSIZE} growth divided by {@code count})
 * @param note how and when it was measured
 */
public record BytesFigure(String what, String how, long count, double usedMemoryPerItem, double memoryUsagePerItem,
        double keysPerItem, String note) {
}
