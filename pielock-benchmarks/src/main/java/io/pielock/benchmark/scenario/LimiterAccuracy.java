package io.pielock.benchmark.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.pielock.benchmark.contender.LimiterClient;
import io.pielock.benchmark.contender.RateLimit;
import io.pielock.benchmark.contender.RedisEndpoint;
import io.pielock.benchmark.measure.Clock;
import io.pielock.benchmark.measure.LimiterCalls;
import io.pielock.benchmark.measure.LimiterLoop;
import io.pielock.benchmark.measure.Threads;

/**
 * Scenario 7: how many calls a limiter lets through within one window, from a standing start (a fresh key, as
 * after a quiet spell) under full load.
 */
public final class LimiterAccuracy implements Scenario {

    private final int threads;

    private final LimiterClients clients;

    private final Duration duration;

    /**
     * @param threads how many threads
     * @param redis where Redis listens
     * @param duration how long to hammer the key
     */
    public LimiterAccuracy(int threads, RedisEndpoint redis, Duration duration) {
        this.threads = threads;
        this.clients = new LimiterClients(redis, new RateLimit(1000, Duration.ofSeconds(1)));
        this.duration = duration;
    }

    @Override
    public String id() {
        return "7";
    }

    @Override
    public String title() {
        return "Limiter accuracy, " + this.clients.limit() + ", one fresh key";
    }

    @Override
    public String label() {
        return "limit accuracy";
    }

    @Override
    public String measures() {
        return this.threads + " threads ask for decisions on one fresh key (idle before, so buckets are full and "
                + "windows empty) for " + this.duration.toMillis() + " ms, no warm-up. Figure: the most admitted "
                + "calls whose decisions returned within any 1 s (sliding over the admitted calls' return "
                + "timestamps), divided by N = 1,000. 1.000 is exact; a fixed window or token bucket may reach 2.";
    }

    @Override
    public Metric primary() {
        return Metric.MOST_IN_WINDOW;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(Metric.MOST_IN_WINDOW, Metric.MOST_CERTAIN, Metric.ADMITTED, Metric.THROUGHPUT);
    }

    @Override
    public List<String> contenders() {
        return this.clients.names();
    }

    @Override
    public Measurement measure(String contender, int round) throws InterruptedException {
        String[] key = { "s7:" + round + ":" + System.nanoTime() };
        LimiterClient client = this.clients.get(contender);
        long startAt = Clock.inMillis(20);
        long endAt = startAt + this.duration.toNanos();
        List<LimiterLoop> loops = new ArrayList<>();
        for (int thread = 0; thread < this.threads; thread++) {
            loops.add(new LimiterLoop(client, key, startAt, startAt, endAt));
        }
        Threads.runAll("s7-" + contender, loops);
        LimiterCalls calls = LimiterCalls.merge(loops.stream().map(LimiterLoop::calls).toList());
        RateLimit limit = this.clients.limit();
        Measurement measurement = new Measurement().operations(calls.total())
            .put(Metric.MOST_IN_WINDOW, (double) calls.admissions().mostInAnyWindow(limit.window()) / limit.count())
            .put(Metric.ADMITTED, calls.admittedPercent())
            .put(Metric.THROUGHPUT, calls.throughput());
        LimiterChecks.keptPromise(measurement, calls, limit, this.clients.contender(contender).promise());
        return measurement;
    }

    @Override
    public void close() {
        this.clients.close();
    }
}
