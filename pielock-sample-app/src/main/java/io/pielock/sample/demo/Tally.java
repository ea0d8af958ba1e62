package io.pielock.sample.demo;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The answers of a load run, counted as they arrive from many threads: how many of each HTTP status, how many
 * requests failed without an answer, and each request's latency.
 */
final class Tally {

    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();

    private final LongAdder failures = new LongAdder();

    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    private final AtomicInteger completed = new AtomicInteger();

    /** Written once per request index, each by one thread; read after all requests are done. */
    private final long[] latencies;

    Tally(int requests) {
        this.latencies = new long[requests];
    }

    void answered(int request, int status, long nanos) {
        this.statuses.computeIfAbsent(status, code -> new LongAdder()).increment();
        this.latencies[request] = nanos;
        this.completed.incrementAndGet();
    }

    void failed(int request, long nanos, Exception ex) {
        this.failures.increment();
        this.firstFailure.compareAndSet(null, ex.getMessage());
        this.latencies[request] = nanos;
        this.completed.incrementAndGet();
    }

    int requests() {
        return this.latencies.length;
    }

    int completed() {
        return this.completed.get();
    }

    long count(int status) {
        LongAdder count = this.statuses.get(status);
        return count == null ? 0 : count.sum();
    }

    /** @return the count of each status, by status */
    Map<Integer, Long> statuses() {
        Map<Integer, Long> counts = new TreeMap<>();
        this.statuses.forEach((status, count) -> counts.put(status, count.sum()));
        return counts;
    }

    long failures() {
        return this.failures.sum();
    }

    String firstFailure() {
        return this.firstFailure.get();
    }

    /**
     * @param fraction e.g. 0.99 for p99
     * @return the latency at that rank (nearest rank), in nanoseconds; call when all requests are done
     */
    long percentile(double fraction) {
        long[] sorted = this.latencies.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
