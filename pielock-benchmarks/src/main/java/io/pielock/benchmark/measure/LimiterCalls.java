package io.pielock.benchmark.measure;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.pielock.benchmark.contender.LimiterClient;

/**
 * The decisions one thread asked for: every decision's latency (inside the measured interval), and every admitted
 * call's key and timestamps (always, since any admitted call counts against the limit).
 */
public final class LimiterCalls {

    private final long measureFrom;

    private final long measureTo;

    private final LongList latencies = new LongList();

    private final LongList admittedKeys = new LongList();

    private final LongList admittedStarts = new LongList();

    private final LongList admittedEnds = new LongList();

    private long decisions;

    private long total;

    private long admittedInInterval;

    private long errors;

    private String firstError;

    /**
     * @param measureFrom start of the measured interval ({@link Clock})
     * @param measureTo its end
     */
    public LimiterCalls(long measureFrom, long measureTo) {
        this.measureFrom = measureFrom;
        this.measureTo = measureTo;
    }

    /**
     * Asks for one decision and records it.
     * @param client the limiter
     * @param keys the keys of the scenario
     * @param index which of them
     */
    public void decide(LimiterClient client, String[] keys, int index) {
        long start = System.nanoTime();
        boolean admitted;
        try {
            admitted = client.tryAcquire(keys[index]);
        }
        catch (RuntimeException ex) {
            this.errors++;
            if (this.firstError == null) {
                this.firstError = "rate limit of " + keys[index] + " failed: " + ex;
            }
            LockSupport.parkNanos(1_000_000);
            return;
        }
        long end = System.nanoTime();
        this.total++;
        boolean measured = start >= this.measureFrom && start < this.measureTo;
        if (measured) {
            this.decisions++;
            this.latencies.add(end - start);
        }
        if (admitted) {
            this.admittedKeys.add(index);
            this.admittedStarts.add(start);
            this.admittedEnds.add(end);
            if (measured) {
                this.admittedInInterval++;
            }
        }
    }

    /**
     * @param threads every thread's calls of one measurement
     * @return them together
     */
    public static LimiterCalls merge(List<LimiterCalls> threads) {
        LimiterCalls all = new LimiterCalls(threads.get(0).measureFrom, threads.get(0).measureTo);
        for (LimiterCalls calls : threads) {
            all.decisions += calls.decisions;
            all.total += calls.total;
            all.admittedInInterval += calls.admittedInInterval;
            all.errors += calls.errors;
            if (all.firstError == null) {
                all.firstError = calls.firstError;
            }
            for (int i = 0; i < calls.latencies.size(); i++) {
                all.latencies.add(calls.latencies.get(i));
            }
            for (int i = 0; i < calls.admittedKeys.size(); i++) {
                all.admittedKeys.add(calls.admittedKeys.get(i));
                all.admittedStarts.add(calls.admittedStarts.get(i));
                all.admittedEnds.add(calls.admittedEnds.get(i));
            }
        }
        return all;
    }

    /** @return decisions (admitted or denied) per second of the measured interval */
    public double throughput() {
        return this.decisions / ((this.measureTo - this.measureFrom) / 1e9);
    }

    /** @return the share of measured decisions that admitted the call, in percent */
    public double admittedPercent() {
        return (this.decisions == 0) ? Double.NaN : 100.0 * this.admittedInInterval / this.decisions;
    }

    /**
     * @param percent 0 to 100
     * @return that percentile of decision latency, in microseconds
     */
    public double latencyMicros(double percent) {
        return Percentiles.of(this.latencies.toArray(), percent) / 1000.0;
    }

    /** @return every decision that came back, measured interval or not */
    public long total() {
        return this.total;
    }

    /** @return how many decisions threw */
    public long errors() {
        return this.errors;
    }

    /** @return the first failure, or null */
    public String firstError() {
        return this.firstError;
    }

    /** @return every admitted call, measured interval or not */
    public Admissions admissions() {
        return new Admissions(this.admittedKeys.toArray(), this.admittedStarts.toArray(),
                this.admittedEnds.toArray());
    }
}
