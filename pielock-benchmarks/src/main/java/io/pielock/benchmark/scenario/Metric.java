package io.pielock.benchmark.scenario;

import java.util.Locale;

/** A figure a scenario reports, with its column heading and format. */
public enum Metric {

    /** Operations per second (acquisitions, or decisions admitted or denied). */
    THROUGHPUT("ops/s", "%,.0f", true),

    /** Median latency of one operation. */
    LATENCY_P50("p50 µs", "%,.0f", false),

    /** 99th percentile latency of one operation. */
    LATENCY_P99("p99 µs", "%,.0f", false),

    /** {@code cmdstat_publish} calls during the run (warm-up included), nobody waiting. */
    PUBLISHES("PUBLISH calls", "%,.0f", false),

    /** {@code cmdstat_publish} calls per lock released, nobody waiting. */
    PUBLISH_PER_RELEASE("PUBLISH per release", "%.2f", false),

    /** Share of contended handovers that went back to the releasing thread. */
    BARGING("barging %", "%.1f", false),

    /** Median handover time over contended handovers. */
    HANDOVER_P50("handover p50 µs", "%,.0f", false),

    /** 99th percentile handover time over contended handovers. */
    HANDOVER_P99("handover p99 µs", "%,.0f", false),

    /** Share of contended handovers that went to another client. */
    CROSS_CLIENT("cross-client %", "%.1f", false),

    /** Median handover time over cross-client handovers. */
    CROSS_HANDOVER_P50("cross-client handover p50 µs", "%,.0f", false),

    /** 99th percentile handover time over cross-client handovers. */
    CROSS_HANDOVER_P99("cross-client handover p99 µs", "%,.0f", false),

    /** Share of decisions that admitted the call. */
    ADMITTED("admitted %", "%.1f", false),

    /** Most admitted calls of one key in any one window, divided by the limit's count. */
    MOST_IN_WINDOW("most in 1 s / N", "%.3f", false),

    /**
     * Most admitted calls of one key certainly decided within less than one window, divided by the limit's count:
     * what the rate limit check compares with the contender's promise.
     */
    MOST_CERTAIN("most certainly in < 1 window / N", "%.3f", false),

    /** Sum of {@code MEMORY USAGE} over the Redis keys of one rate limit key. */
    BYTES_PER_KEY("bytes/key (MEMORY USAGE)", "%,.0f", false),

    /** {@code INFO memory used_memory} growth per rate limit key. */
    USED_MEMORY_PER_KEY("bytes/key (used_memory Δ)", "%,.0f", false),

    /** How many Redis keys one rate limit key became. */
    REDIS_KEYS("Redis keys/key", "%.1f", false),

    /** Share of those Redis keys that expire by themselves. */
    WITH_TTL("with TTL %", "%.0f", true);

    private final String heading;

    private final String format;

    private final boolean higherIsBetter;

    Metric(String heading, String format, boolean higherIsBetter) {
        this.heading = heading;
        this.format = format;
        this.higherIsBetter = higherIsBetter;
    }

    /** @return the column heading */
    public String heading() {
        return this.heading;
    }

    /**
     * @param value a value of this metric
     * @return it formatted for the report; "–" when there is none
     */
    public String format(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, this.format, value);
    }

    /** @return whether more is better (throughput), so that a ratio to the floor above 1 beats the floor */
    public boolean higherIsBetter() {
        return this.higherIsBetter;
    }
}
