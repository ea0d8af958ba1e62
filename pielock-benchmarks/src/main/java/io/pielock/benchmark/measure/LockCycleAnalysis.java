package io.pielock.benchmark.measure;

/**
 * What the cycles of one measurement say, over the measured interval (cycles before it, the warm-up, still count
 * as predecessors and for overlaps).
 * <ul>
 * <li><b>Throughput</b>: acquisitions returned inside the interval, per second.</li>
 * <li><b>Latency</b>: from calling lock to unlock's return, for cycles that started inside the interval.</li>
 * <li>On one key, in acquisition order:
 * <ul>
 * <li><b>Overlap</b>: a holder returned from lock before the previous holder started to unlock.</li>
 * <li><b>Contended handover</b>: the lock passed from one holder to the next while at least one other thread was
 * inside lock() (it had called lock before the previous holder started to unlock, and had not returned).</li>
 * <li><b>Barging</b>: a contended handover to the very thread that released, ahead of the waiters.</li>
 * <li><b>Handover time</b>: from the previous holder's unlock call to the next holder's return from lock, over
 * contended handovers.</li>
 * <li><b>Cross-client handover</b>: a contended handover to a thread of another client.</li>
 * </ul></li>
 * </ul>
 */
public final class LockCycleAnalysis {

    private final double throughput;

    private final long[] latencies;

    private final long overlaps;

    private final long handovers;

    private final long barging;

    private final long[] handoverTimes;

    private final long[] crossClientTimes;

    private LockCycleAnalysis(double throughput, long[] latencies, long overlaps, long handovers, long barging,
            long[] handoverTimes, long[] crossClientTimes) {
        this.throughput = throughput;
        this.latencies = latencies;
        this.overlaps = overlaps;
        this.handovers = handovers;
        this.barging = barging;
        this.handoverTimes = handoverTimes;
        this.crossClientTimes = crossClientTimes;
    }

    /**
     * @param cycles the cycles of one measurement, ordered by acquisition ({@link LockCycles#merge})
     * @param from start of the measured interval ({@link Clock})
     * @param to its end
     * @param oneKey whether all cycles locked the same key (only then do order, overlap and handover mean anything)
     * @return the analysis
     */
    public static LockCycleAnalysis of(LockCycles cycles, long from, long to, boolean oneKey) {
        int n = cycles.size();
        long acquisitions = 0;
        LongList latencies = new LongList();
        for (int i = 0; i < n; i++) {
            if (cycles.acquired(i) >= from && cycles.acquired(i) < to) {
                acquisitions++;
            }
            if (cycles.called(i) >= from && cycles.called(i) < to) {
                latencies.add(cycles.released(i) - cycles.called(i));
            }
        }
        double throughput = acquisitions / ((to - from) / 1e9);
        if (!oneKey) {
            return new LockCycleAnalysis(throughput, latencies.toArray(), 0, 0, 0, new long[0], new long[0]);
        }
        // earliest lock call among cycles i..n-1: a waiter at time t exists iff a later acquisition was called by t
        long[] earliestCallFrom = new long[n + 1];
        earliestCallFrom[n] = Long.MAX_VALUE;
        for (int i = n - 1; i >= 0; i--) {
            earliestCallFrom[i] = Math.min(earliestCallFrom[i + 1], cycles.called(i));
        }
        long overlaps = 0;
        long handovers = 0;
        long barging = 0;
        LongList handoverTimes = new LongList();
        LongList crossClientTimes = new LongList();
        for (int i = 0; i + 1 < n; i++) {
            if (cycles.acquired(i + 1) < cycles.releasing(i)) {
                overlaps++;
            }
            boolean measured = cycles.acquired(i + 1) >= from && cycles.acquired(i + 1) < to;
            boolean someoneWaiting = earliestCallFrom[i + 1] <= cycles.releasing(i);
            if (!measured || !someoneWaiting) {
                continue;
            }
            handovers++;
            long time = cycles.acquired(i + 1) - cycles.releasing(i);
            handoverTimes.add(time);
            int previous = cycles.holder(i);
            int next = cycles.holder(i + 1);
            if (next == previous) {
                barging++;
            }
            if (next / LockCycles.PER_CLIENT != previous / LockCycles.PER_CLIENT) {
                crossClientTimes.add(time);
            }
        }
        return new LockCycleAnalysis(throughput, latencies.toArray(), overlaps, handovers, barging,
                handoverTimes.toArray(), crossClientTimes.toArray());
    }

    /** @return acquisitions per second */
    public double throughput() {
        return this.throughput;
    }

    /**
     * @param percent 0 to 100
     * @return that percentile of lock-to-unlock latency, in microseconds
     */
    public double latencyMicros(double percent) {
        return Percentiles.of(this.latencies, percent) / 1000.0;
    }

    /** @return how many times a holder returned from lock before the previous one started to unlock */
    public long overlaps() {
        return this.overlaps;
    }

    /** @return the share of contended handovers that went back to the releasing thread, in percent */
    public double bargingPercent() {
        return (this.handovers == 0) ? Double.NaN : 100.0 * this.barging / this.handovers;
    }

    /**
     * @param percent 0 to 100
     * @return that percentile of handover time over contended handovers, in microseconds
     */
    public double handoverMicros(double percent) {
        return Percentiles.of(this.handoverTimes, percent) / 1000.0;
    }

    /** @return the share of contended handovers that went to another client, in percent */
    public double crossClientPercent() {
        return (this.handovers == 0) ? Double.NaN : 100.0 * this.crossClientTimes.length / this.handovers;
    }

    /**
     * @param percent 0 to 100
     * @return that percentile of handover time over cross-client handovers, in microseconds
     */
    public double crossClientHandoverMicros(double percent) {
        return Percentiles.of(this.crossClientTimes, percent) / 1000.0;
    }
}
