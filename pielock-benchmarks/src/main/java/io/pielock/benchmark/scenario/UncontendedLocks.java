package io.pielock.benchmark.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.pielock.benchmark.contender.Contenders;
import io.pielock.benchmark.contender.LockClient;
import io.pielock.benchmark.measure.Clock;
import io.pielock.benchmark.measure.CriticalSection;
import io.pielock.benchmark.measure.LockCycleAnalysis;
import io.pielock.benchmark.measure.LockCycles;
import io.pielock.benchmark.measure.LockLoop;
import io.pielock.benchmark.measure.RedisAdmin;
import io.pielock.benchmark.measure.Threads;

/**
 * Scenarios 1 and 2: lock and unlock as fast as possible, every thread on its own key, so nobody ever waits.
 * Also counts the PUBLISH commands Redis ran meanwhile: a release with nobody waiting need not publish. Besides the
 * contenders it runs the {@link Contenders#lockReferences() references}, which show what a layer alone costs.
 */
public final class UncontendedLocks implements Scenario {

    private final String id;

    private final int threads;

    private final LockClients clients;

    private final RedisAdmin redis;

    private final Duration warmup;

    private final Duration measure;

    /**
     * @param id its number
     * @param threads how many threads, each on its own key
     * @param clients the in-process clients (not closed here)
     * @param redis for PUBLISH counts
     * @param warmup unmeasured time first
     * @param measure measured time
     */
    public UncontendedLocks(String id, int threads, LockClients clients, RedisAdmin redis, Duration warmup,
            Duration measure) {
        this.id = id;
        this.threads = threads;
        this.clients = clients;
        this.redis = redis;
        this.warmup = warmup;
        this.measure = measure;
    }

    @Override
    public String id() {
        return this.id;
    }

    @Override
    public String title() {
        return "Uncontended lock+unlock, " + this.threads + ((this.threads == 1) ? " thread" : " threads, each its own key");
    }

    @Override
    public String label() {
        return (this.threads == 1) ? "lock, 1 thread" : "lock, " + this.threads + " keys";
    }

    @Override
    public String measures() {
        return "One client; " + ((this.threads == 1) ? "one thread locks and unlocks one key"
                : this.threads + " threads each lock and unlock their own key") + " in a loop, nothing inside but "
                + "the critical-section check. Throughput: acquisitions per second; latency: lock call to unlock "
                + "return. PUBLISH calls: Redis's `cmdstat_publish` calls over the whole run (warm-up included), "
                + "and per release, while nobody ever waits.";
    }

    @Override
    public Metric primary() {
        return Metric.THROUGHPUT;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(Metric.THROUGHPUT, Metric.LATENCY_P50, Metric.LATENCY_P99, Metric.PUBLISHES,
                Metric.PUBLISH_PER_RELEASE);
    }

    @Override
    public List<String> contenders() {
        List<String> names = new ArrayList<>(this.clients.names());
        Contenders.lockReferences().forEach(reference -> names.add(reference.name()));
        return names;
    }

    @Override
    public Measurement measure(String contender, int round) throws InterruptedException {
        LockClient client = this.clients.get(contender);
        long startAt = Clock.inMillis(20);
        long measureFrom = startAt + this.warmup.toNanos();
        long endAt = measureFrom + this.measure.toNanos();
        List<LockLoop> loops = new ArrayList<>();
        List<CriticalSection> sections = new ArrayList<>();
        for (int thread = 0; thread < this.threads; thread++) {
            CriticalSection section = CriticalSection.inProcess();
            sections.add(section);
            loops.add(new LockLoop(client, "s" + this.id + ":" + round + ":t" + thread, section,
                    startAt, endAt, thread));
        }
        long publishesBefore = this.redis.publishCalls();
        Threads.runAll("s" + this.id + "-" + contender, loops);
        long publishes = this.redis.publishCalls() - publishesBefore;
        LockCycles cycles = LockCycles.merge(loops.stream().map(LockLoop::cycles).toList());
        LockCycleAnalysis analysis = LockCycleAnalysis.of(cycles, measureFrom, endAt, false);
        Measurement measurement = new Measurement().operations(cycles.size()).put(Metric.THROUGHPUT, analysis.throughput())
            .put(Metric.LATENCY_P50, analysis.latencyMicros(50))
            .put(Metric.LATENCY_P99, analysis.latencyMicros(99))
            .put(Metric.PUBLISHES, publishes)
            .put(Metric.PUBLISH_PER_RELEASE, (double) publishes / Math.max(1, cycles.size()));
        for (int thread = 0; thread < this.threads; thread++) {
            LockChecks.sectionHeldAlone(measurement, sections.get(thread), List.of(loops.get(thread)));
        }
        LockChecks.noErrors(measurement, loops);
        return measurement;
    }
}
