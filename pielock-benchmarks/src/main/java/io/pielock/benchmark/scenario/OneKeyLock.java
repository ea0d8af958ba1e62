package io.pielock.benchmark.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.pielock.benchmark.contender.LockClient;
import io.pielock.benchmark.measure.Clock;
import io.pielock.benchmark.measure.CriticalSection;
import io.pielock.benchmark.measure.LockCycleAnalysis;
import io.pielock.benchmark.measure.LockCycles;
import io.pielock.benchmark.measure.LockLoop;
import io.pielock.benchmark.measure.Threads;

/** Scenario 3: every thread of one client wants the same key all the time. */
public final class OneKeyLock implements Scenario {

    private final int threads;

    private final LockClients clients;

    private final Duration warmup;

    private final Duration measure;

    /**
     * @param threads how many threads share the key
     * @param clients the in-process clients (not closed here)
     * @param warmup unmeasured time first
     * @param measure measured time
     */
    public OneKeyLock(int threads, LockClients clients, Duration warmup, Duration measure) {
        this.threads = threads;
        this.clients = clients;
        this.warmup = warmup;
        this.measure = measure;
    }

    @Override
    public String id() {
        return "3";
    }

    @Override
    public String title() {
        return "One key, " + this.threads + " threads, one client";
    }

    @Override
    public String label() {
        return "lock, 1 key, 1 client";
    }

    @Override
    public String measures() {
        return "One client; " + this.threads + " threads lock and unlock the same key in a loop. Throughput: "
                + "acquisitions per second; latency: lock call to unlock return (waiting included). Handover: "
                + "from the holder's unlock call to the next holder's return from lock, whenever another thread was "
                + "waiting. Barging: the share of those handovers that went back to the thread that had just "
                + "released.";
    }

    @Override
    public Metric primary() {
        return Metric.THROUGHPUT;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(Metric.THROUGHPUT, Metric.LATENCY_P50, Metric.LATENCY_P99, Metric.BARGING,
                Metric.HANDOVER_P50, Metric.HANDOVER_P99);
    }

    @Override
    public List<String> contenders() {
        return this.clients.names();
    }

    @Override
    public Measurement measure(String contender, int round) throws InterruptedException {
        LockClient client = this.clients.get(contender);
        long startAt = Clock.inMillis(20);
        long measureFrom = startAt + this.warmup.toNanos();
        long endAt = measureFrom + this.measure.toNanos();
        CriticalSection section = CriticalSection.inProcess();
        List<LockLoop> loops = new ArrayList<>();
        for (int thread = 0; thread < this.threads; thread++) {
            loops.add(new LockLoop(client, "s3:" + round, section, startAt, endAt, thread));
        }
        Threads.runAll("s3-" + contender, loops);
        LockCycles cycles = LockCycles.merge(loops.stream().map(LockLoop::cycles).toList());
        LockCycleAnalysis analysis = LockCycleAnalysis.of(cycles, measureFrom, endAt, true);
        Measurement measurement = new Measurement().operations(cycles.size()).put(Metric.THROUGHPUT, analysis.throughput())
            .put(Metric.LATENCY_P50, analysis.latencyMicros(50))
            .put(Metric.LATENCY_P99, analysis.latencyMicros(99))
            .put(Metric.BARGING, analysis.bargingPercent())
            .put(Metric.HANDOVER_P50, analysis.handoverMicros(50))
            .put(Metric.HANDOVER_P99, analysis.handoverMicros(99));
        measurement.violationIf(analysis.overlaps() > 0, analysis.overlaps()
                + " times a thread returned from lock before the previous holder called unlock");
        LockChecks.sectionHeldAlone(measurement, section, loops);
        LockChecks.noErrors(measurement, loops);
        return measurement;
    }
}
