package io.pielock.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

import com.sun.management.OperatingSystemMXBean;

import io.pielock.benchmark.contender.CostVariant;
import io.pielock.benchmark.contender.CostVariants;
import io.pielock.benchmark.contender.RedisEndpoint;
import io.pielock.benchmark.measure.Percentiles;
import io.pielock.benchmark.measure.RedisAdmin;
import io.pielock.benchmark.report.MachineFacts;
import io.pielock.test.RedisServer;

/**
 * Where a limiter decision's and a lock cycle's time goes: for each {@link CostVariants variant}, many threads do
 * the operation on a throwaway {@code redis-server} while the client JVM's CPU time and the server's
 * ({@code INFO cpu}) are read before and after a measured interval; each figure is CPU microseconds per
 * operation. The variants peel off one layer each (the floor, the floor through Spring Data Redis, pielock's
 * script alone, pielock's API), so the differences say what each layer costs. With client and server on the
 * same cores, throughput follows the total. Writes {@code cost-breakdown.md}.
 * <p>
 * Settings (system properties): {@code bench.threads} (16), {@code bench.warmup} (5s, per variant and round,
 * unmeasured), {@code bench.measure} (8s), {@code bench.rounds} (3, the order of the variants rotating),
 * {@code bench.keys} (10000 limiter keys), {@code bench.out} ({@code docs/performance}), {@code bench.revision}.
 */
public final class CostBreakdownMain {

    /** The report's file name. */
    static final String REPORT = "cost-breakdown.md";

    private CostBreakdownMain() {
    }

    /**
     * @param args none; settings are system properties
     * @throws Exception if the run cannot be made
     */
    public static void main(String[] args) throws Exception {
        Options options = new Options(Settings.integer("bench.threads", 16), Settings.duration("bench.warmup", "5s"),
                Settings.duration("bench.measure", "8s"), Settings.integer("bench.rounds", 3),
                Settings.integer("bench.keys", 10_000),
                System.getProperty("bench.revision", "unknown"));
        long started = System.nanoTime();
        Results results = run(options, System.out::println);
        Path report = write(results, Path.of(System.getProperty("bench.out", "docs/performance")));
        System.out.println("Report: " + report + " (" + Duration.ofNanos(System.nanoTime() - started).toSeconds()
                + " s)");
        System.exit(0);
    }

    /**
     * How a run measures.
     * @param threads threads doing the operation at once, over one client
     * @param warmup unmeasured time per variant and round
     * @param measure measured time per variant and round
     * @param rounds rounds, the variants' order rotating
     * @param keys limiter keys the limiter variants spread their calls over
     * @param revision pielock's revision, for the report
     */
    record Options(int threads, Duration warmup, Duration measure, int rounds, int keys, String revision) {
    }

    /**
     * One variant in one round.
     * @param operationsPerSecond operations per second over the measured time
     * @param clientMicros the client JVM's CPU time per operation, µs
     * @param redisMicros the redis-server's CPU time per operation, µs
     */
    record Sample(double operationsPerSecond, double clientMicros, double redisMicros) {

        double totalMicros() {
            return this.clientMicros + this.redisMicros;
        }
    }

    /**
     * @param options how it was measured
     * @param machine where
     * @param samples each variant's samples, in the variants' order
     */
    record Results(Options options, MachineFacts machine, Map<CostVariant, List<Sample>> samples) {
    }

    /**
     * Measures every variant.
     * @param options how
     * @param log where progress lines go
     * @return the samples
     */
    static Results run(Options options, Consumer<String> log) {
        List<CostVariant> variants = CostVariants.all(options.keys());
        Map<CostVariant, List<Sample>> samples = new LinkedHashMap<>();
        variants.forEach(variant -> samples.put(variant, new ArrayList<>()));
        try (RedisServer server = RedisServer.start()) {
            RedisAdmin redis = new RedisAdmin(server);
            RedisEndpoint endpoint = new RedisEndpoint(server.host(), server.port());
            MachineFacts machine = MachineFacts.collect(redis.version());
            for (int round = 0; round < options.rounds(); round++) {
                for (int i = 0; i < variants.size(); i++) {
                    CostVariant variant = variants.get((i + round) % variants.size());
                    redis.flushAll();
                    Sample sample = measure(variant, endpoint, redis, options);
                    samples.get(variant).add(sample);
                    log.accept(String.format(Locale.ROOT, "round %d  %-60s %8.0f ops/s  client %6.1f µs  "
                            + "Redis %6.1f µs  total %6.1f µs", round + 1, variant.name(),
                            sample.operationsPerSecond(), sample.clientMicros(), sample.redisMicros(),
                            sample.totalMicros()));
                }
            }
            return new Results(options, machine, samples);
        }
    }

    private static Sample measure(CostVariant variant, RedisEndpoint endpoint, RedisAdmin redis, Options options) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        LongAdder operations = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new ArrayList<>();
        try (CostVariant.Running running = variant.connect().apply(endpoint)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < options.threads(); t++) {
                int index = t;
                Thread thread = new Thread(() -> {
                    try {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        while (!stop.get()) {
                            running.once(index, random.nextInt());
                            operations.increment();
                        }
                    }
                    catch (Throwable ex) {
                        synchronized (failures) {
                            failures.add(ex);
                        }
                    }
                }, "cost-" + t);
                threads.add(thread);
                thread.start();
            }
            sleep(options.warmup());
            long clientBefore = os.getProcessCpuTime();
            long redisBefore = redis.cpuMicros();
            long operationsBefore = operations.sum();
            long from = System.nanoTime();
            sleep(options.measure());
            long clientAfter = os.getProcessCpuTime();
            long redisAfter = redis.cpuMicros();
            long done = operations.sum() - operationsBefore;
            double seconds = (System.nanoTime() - from) / 1e9;
            stop.set(true);
            for (Thread thread : threads) {
                join(thread);
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException(variant.name() + " failed", failures.get(0));
            }
            if (done == 0) {
                throw new IllegalStateException(variant.name() + " did no operation in " + options.measure());
            }
            return new Sample(done / seconds, (clientAfter - clientBefore) / 1000.0 / done,
                    (double) (redisAfter - redisBefore) / done);
        }
    }

    /**
     * Writes the report.
     * @param results what a run measured
     * @param directory where
     * @return the report's path
     * @throws IOException if it cannot be written
     */
    static Path write(Results results, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path report = directory.resolve(REPORT);
        Files.writeString(report, markdown(results));
        return report;
    }

    static String markdown(Results results) {
        Options o = results.options();
        MachineFacts machine = results.machine();
        StringBuilder md = new StringBuilder();
        md.append("# pielock cost breakdown\n\n");
        md.append("<!-- Generated by pielock-benchmarks/cost-breakdown.sh. Do not edit by hand: run it again. -->\n");
        md.append("Generated by `pielock-benchmarks/cost-breakdown.sh` on ")
            .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
            .append(" UTC (pielock revision ").append(o.revision()).append("). Do not edit it by hand.\n\n");
        md.append("Where a limiter decision's and a lock cycle's time goes. ").append(o.threads())
            .append(" threads do the operation over one client (limiter: ").append(String.format(Locale.ROOT,
                    "%,d", o.keys()))
            .append(" keys, 1000 per second each; locks: each thread its own key) on a `redis-server` started for ")
            .append("the run; after ").append(o.warmup().toSeconds()).append(" s unmeasured, the client JVM's CPU ")
            .append("time and the server's (`INFO cpu`) are read over ").append(o.measure().toSeconds())
            .append(" s. Every figure is CPU microseconds per operation (lower is better), the median of ")
            .append(o.rounds()).append(" rounds with their range; the variants' order rotates from round to ")
            .append("round. Each variant peels off one layer: the raw floor; the floor's own commands through ")
            .append("Spring Data Redis; pielock's script sent directly on Lettuce (what Redis runs for pielock, ")
            .append("without pielock's Java); pielock's API. With client and server on the same cores, throughput ")
            .append("follows the total.\n\n");
        md.append("Machine: ").append(machine.cpu()).append(", ").append(machine.cores())
            .append(" cores available to the JVM; ").append(machine.memory()).append("; ").append(machine.jdk())
            .append("; ").append(machine.redis()).append(", no persistence, same host.\n\n");
        md.append("| Operation | Variant | ops/s | client µs | Redis µs | total µs |\n");
        md.append("|---|---|---:|---:|---:|---:|\n");
        results.samples().forEach((variant, samples) -> md.append("| ").append(variant.operation()).append(" | ")
            .append(variant.name()).append(" | ").append(figure(samples, Sample::operationsPerSecond, "%,.0f"))
            .append(" | ").append(figure(samples, Sample::clientMicros, "%.1f")).append(" | ")
            .append(figure(samples, Sample::redisMicros, "%.1f")).append(" | ")
            .append(figure(samples, Sample::totalMicros, "%.1f")).append(" |\n"));
        return md.toString();
    }

    /** @return the median of the samples' figure, with their range */
    private static String figure(List<Sample> samples, ToDoubleFunction<Sample> figure, String format) {
        double[] values = samples.stream().mapToDouble(figure).sorted().toArray();
        int n = values.length;
        String text = String.format(Locale.ROOT, format, Percentiles.median(values));
        return (n == 1) ? text : text + " (" + String.format(Locale.ROOT, format, values[0]) + "–"
                + String.format(Locale.ROOT, format, values[n - 1]) + ")";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", ex);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", ex);
        }
    }
}
