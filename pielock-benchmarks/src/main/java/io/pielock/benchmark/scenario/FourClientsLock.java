package io.pielock.benchmark.scenario;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.pielock.benchmark.clients.LockClientProcesses;
import io.pielock.benchmark.contender.Contenders;
import io.pielock.benchmark.contender.LockContender;
import io.pielock.benchmark.contender.RedisEndpoint;
import io.pielock.benchmark.measure.Clock;
import io.pielock.benchmark.measure.CriticalSection;
import io.pielock.benchmark.measure.LockCycleAnalysis;
import io.pielock.benchmark.measure.LockCycles;

/**
 * Scenario 4: one key wanted by several independent clients at once, each a separate JVM with its own
 * connections, owner identity and client objects, each with several threads. The processes' cycles are merged on
 * the machine-wide monotonic clock, and they share a memory-mapped critical section.
 */
public final class FourClientsLock implements Scenario {

    /** Time for every process to receive its command before the common start. */
    private static final long START_SLACK_MILLIS = 500;

    private final int clients;

    private final int threads;

    private final RedisEndpoint redis;

    private final Duration warmup;

    private final Duration measure;

    private final Path workDirectory;

    private LockClientProcesses processes;

    /**
     * @param clients how many client processes
     * @param threads threads in all (split evenly among the clients)
     * @param redis where Redis listens
     * @param warmup unmeasured time first
     * @param measure measured time
     * @param workDirectory where the processes' logs, shared section and cycle files go
     */
    public FourClientsLock(int clients, int threads, RedisEndpoint redis, Duration warmup, Duration measure,
            Path workDirectory) {
        this.clients = clients;
        this.threads = threads;
        this.redis = redis;
        this.warmup = warmup;
        this.measure = measure;
        this.workDirectory = workDirectory;
    }

    @Override
    public String id() {
        return "4";
    }

    @Override
    public String title() {
        return "One key, " + this.threads + " threads over " + this.clients + " clients";
    }

    @Override
    public String label() {
        return "lock, 1 key, " + this.clients + " clients";
    }

    @Override
    public String measures() {
        return this.clients + " client JVMs (each its own connections, owner identity and client objects) with "
                + (this.threads / this.clients) + " threads each lock and unlock the same key in a loop. "
                + "Throughput, latency, handover and barging as in scenario 3, over all processes' cycles merged "
                + "on the machine's monotonic clock. Cross-client: the share of handovers that went to a thread "
                + "of another client, and their handover times.";
    }

    @Override
    public Metric primary() {
        return Metric.THROUGHPUT;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(Metric.THROUGHPUT, Metric.LATENCY_P50, Metric.LATENCY_P99, Metric.CROSS_CLIENT,
                Metric.CROSS_HANDOVER_P50, Metric.CROSS_HANDOVER_P99, Metric.HANDOVER_P50, Metric.HANDOVER_P99,
                Metric.BARGING);
    }

    @Override
    public List<String> contenders() {
        return Contenders.locks().stream().map(LockContender::name).toList();
    }

    @Override
    public Measurement measure(String contender, int round) throws IOException {
        if (this.processes == null) {
            this.processes = LockClientProcesses.start(this.clients, this.workDirectory);
        }
        Path run = Files.createTempDirectory(Files.createDirectories(this.workDirectory), "s4-");
        Path sectionFile = run.resolve("section");
        CriticalSection section = CriticalSection.shared(sectionFile);
        this.processes.askAll(i -> String.join("\t", "open", contender, this.redis.host(),
                Integer.toString(this.redis.port())), Duration.ofSeconds(60));
        long startAt = Clock.inMillis(START_SLACK_MILLIS);
        long measureFrom = startAt + this.warmup.toNanos();
        long endAt = measureFrom + this.measure.toNanos();
        int perClient = this.threads / this.clients;
        List<String[]> answers = this.processes.askAll(i -> String.join("\t", "run", "s4:" + round,
                Integer.toString(perClient), Integer.toString(i), Long.toString(startAt), Long.toString(endAt),
                sectionFile.toString(), run.resolve("cycles-" + i).toString()),
                this.warmup.plus(this.measure).plusSeconds(120));
        this.processes.askAll(i -> "close", Duration.ofSeconds(60));
        List<LockCycles> parts = new ArrayList<>();
        for (int i = 0; i < this.clients; i++) {
            try (DataInputStream in = new DataInputStream(
                    new BufferedInputStream(Files.newInputStream(run.resolve("cycles-" + i))))) {
                parts.add(LockCycles.read(in));
            }
        }
        LockCycles cycles = LockCycles.merge(parts);
        LockCycleAnalysis analysis = LockCycleAnalysis.of(cycles, measureFrom, endAt, true);
        Measurement measurement = new Measurement().operations(cycles.size()).put(Metric.THROUGHPUT, analysis.throughput())
            .put(Metric.LATENCY_P50, analysis.latencyMicros(50))
            .put(Metric.LATENCY_P99, analysis.latencyMicros(99))
            .put(Metric.CROSS_CLIENT, analysis.crossClientPercent())
            .put(Metric.CROSS_HANDOVER_P50, analysis.crossClientHandoverMicros(50))
            .put(Metric.CROSS_HANDOVER_P99, analysis.crossClientHandoverMicros(99))
            .put(Metric.HANDOVER_P50, analysis.handoverMicros(50))
            .put(Metric.HANDOVER_P99, analysis.handoverMicros(99))
            .put(Metric.BARGING, analysis.bargingPercent());
        measurement.violationIf(analysis.overlaps() > 0, analysis.overlaps()
                + " times a client returned from lock before the previous holder called unlock");
        long overlaps = answers.stream().mapToLong(answer -> Long.parseLong(answer[1])).sum();
        measurement.violationIf(overlaps > 0,
                overlaps + " times a holder found another holder inside the shared critical section");
        measurement.violationIf(section.count() != cycles.size(), "the shared non-atomic counter reads "
                + section.count() + " after " + cycles.size() + " acquisitions: overlapping holders lost increments");
        long errors = answers.stream().mapToLong(answer -> Long.parseLong(answer[2])).sum();
        measurement.violationIf(errors > 0, errors + " lock or unlock calls failed; first: "
                + answers.stream().map(answer -> answer[3]).filter(error -> !error.equals("-")).findFirst()
                    .orElse(""));
        deleteQuietly(run);
        return measurement;
    }

    private static void deleteQuietly(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(directory);
    }

    @Override
    public void close() {
        if (this.processes != null) {
            this.processes.close();
        }
    }
}
