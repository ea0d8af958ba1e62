package io.pielock.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.pielock.benchmark.contender.RedisEndpoint;
import io.pielock.benchmark.jmh.InterceptionBenchmarks;
import io.pielock.benchmark.jmh.InterceptionBenchmarks.Score;
import io.pielock.benchmark.measure.RedisAdmin;
import io.pielock.benchmark.report.MachineFacts;
import io.pielock.benchmark.scenario.FourClientsLock;
import io.pielock.benchmark.scenario.LimiterAccuracy;
import io.pielock.benchmark.scenario.LimiterMemory;
import io.pielock.benchmark.scenario.LimiterThroughput;
import io.pielock.benchmark.scenario.LockClients;
import io.pielock.benchmark.scenario.OneKeyLock;
import io.pielock.benchmark.scenario.Rounds;
import io.pielock.benchmark.scenario.Scenario;
import io.pielock.benchmark.scenario.ScenarioResult;
import io.pielock.benchmark.scenario.UncontendedLocks;
import io.pielock.test.RedisServer;

/**
 * One benchmark run: starts a throwaway {@code redis-server} on a free port, runs the selected scenarios in
 * rounds and the JMH interception benchmarks, stops Redis, and returns what it measured.
 */
public final class BenchmarkRun {

    private final Settings settings;

    private final Consumer<String> log;

    /**
     * @param settings how long and how hard
     * @param log where progress lines go
     */
    public BenchmarkRun(Settings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * @return what it measured
     * @throws Exception if Redis, a client process or JMH cannot be started
     */
    public RunResults run() throws Exception {
        long started = System.nanoTime();
        List<ScenarioResult> results = new ArrayList<>();
        MachineFacts machine;
        Path work = Files.createTempDirectory("pielock-benchmarks-");
        try (RedisServer server = RedisServer.start()) {
            RedisAdmin redis = new RedisAdmin(server);
            RedisEndpoint endpoint = new RedisEndpoint(server.host(), server.port());
            machine = MachineFacts.collect(redis.version());
            this.log.accept("Redis " + machine.redis() + " on port " + server.port() + "; " + this.settings.summary());
            Settings s = this.settings;
            try (LockClients clients = new LockClients(endpoint)) {
                run(results, "1", () -> new UncontendedLocks("1", 1, clients, redis, s.warmup(), s.measure()));
                run(results, "2", () -> new UncontendedLocks("2", s.threads(), clients, redis, s.warmup(),
                        s.measure()));
                run(results, "3", () -> new OneKeyLock(s.threads(), clients, s.warmup(), s.measure()));
            }
            run(results, "4", () -> new FourClientsLock(s.clients(), s.threads(), endpoint, s.warmup(), s.measure(),
                    work));
            run(results, "5", () -> new LimiterThroughput("5", 1, s.threads(), endpoint, s.warmup(), s.measure()));
            run(results, "6", () -> new LimiterThroughput("6", s.manyKeys(), s.threads(), endpoint, s.warmup(),
                    s.measure()));
            run(results, "7", () -> new LimiterAccuracy(s.threads(), endpoint, s.accuracy()));
            run(results, "8", () -> new LimiterMemory(s.memoryKeys(), s.threads(), endpoint, redis));
        }
        List<Score> interception = List.of();
        if (this.settings.jmhIterations() > 0) {
            this.log.accept("JMH: interception cost on the memory store");
            interception = InterceptionBenchmarks.run(this.settings.jmhWarmups(), this.settings.jmhWarmup(),
                    this.settings.jmhIterations(), this.settings.jmhIteration(), this.settings.jmhForks());
        }
        deleteQuietly(work);
        return new RunResults(this.settings, machine, results, interception,
                Duration.ofNanos(System.nanoTime() - started), Instant.now());
    }

    private void run(List<ScenarioResult> results, String id, Supplier<Scenario> scenario) {
        if (this.settings.runs(id)) {
            Scenario created = scenario.get();
            this.log.accept("Scenario " + id + ": " + created.title());
            results.add(Rounds.run(created, this.settings.warmUpRounds(), this.settings.rounds(), this.log));
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var files = Files.walk(directory)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ex) {
            // a temporary directory left behind is harmless
        }
    }
}
