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
 * Scenarios 5 and 6: decisions as fast as they come back, on one hot key (most calls denied) or spread over many
 * keys (almost all admitted).
 */
public final class LimiterThroughput implements Scenario {

    private final String id;

    private final int keys;

    private final int threads;

    private final LimiterClients clients;

    private final Duration warmup;

    private final Duration measure;

    /**
     * @param id its number
     * @param keys how many keys, picked at random per call
     * @param threads how many threads
     * @param redis where Redis listens
     * @param warmup unmeasured time first
     * @param measure measured time
     */
    public LimiterThroughput(String id, int keys, int threads, RedisEndpoint redis, Duration warmup,
            Duration measure) {
        this.id = id;
        this.keys = keys;
        this.threads = threads;
        this.clients = new LimiterClients(redis, new RateLimit(1000, Duration.ofSeconds(1)));
        this.warmup = warmup;
        this.measure = measure;
    }

    @Override
    public String id() {
        return this.id;
    }

    @Override
    public String title() {
        return "Limiter " + this.clients.limit() + ", " + ((this.keys == 1) ? "one hot key"
                : String.format("%,d keys", this.keys)) + ", " + this.threads + " threads";
    }

    @Override
    public String label() {
        return (this.keys == 1) ? "limit, hot key" : String.format("limit, %,d keys", this.keys);
    }

    @Override
    public String measures() {
        return "One client; " + this.threads + " threads ask for decisions in a loop on "
                + ((this.keys == 1) ? "one key (after the first 1,000 per second, calls are denied)"
                        : String.format("a key picked at random from %,d (each sees a few calls per second, all "
                                + "admitted)", this.keys))
                + ", fresh keys every round. Throughput: decisions per second, admitted or denied; latency: one "
                + "decision.";
    }

    @Override
    public Metric primary() {
        return Metric.THROUGHPUT;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(Metric.THROUGHPUT, Metric.LATENCY_P50, Metric.LATENCY_P99, Metric.ADMITTED,
                Metric.MOST_CERTAIN);
    }

    @Override
    public List<String> contenders() {
        return this.clients.names();
    }

    @Override
    public Measurement measure(String contender, int round) throws InterruptedException {
        String[] names = new String[this.keys];
        for (int i = 0; i < this.keys; i++) {
            names[i] = "s" + this.id + ":" + round + ":k" + i;
        }
        LimiterClient client = this.clients.get(contender);
        long startAt = Clock.inMillis(20);
        long measureFrom = startAt + this.warmup.toNanos();
        long endAt = measureFrom + this.measure.toNanos();
        List<LimiterLoop> loops = new ArrayList<>();
        for (int thread = 0; thread < this.threads; thread++) {
            loops.add(new LimiterLoop(client, names, startAt, measureFrom, endAt));
        }
        Threads.runAll("s" + this.id + "-" + contender, loops);
        LimiterCalls calls = LimiterCalls.merge(loops.stream().map(LimiterLoop::calls).toList());
        Measurement measurement = new Measurement().operations(calls.total()).put(Metric.THROUGHPUT, calls.throughput())
            .put(Metric.LATENCY_P50, calls.latencyMicros(50))
            .put(Metric.LATENCY_P99, calls.latencyMicros(99))
            .put(Metric.ADMITTED, calls.admittedPercent());
        LimiterChecks.keptPromise(measurement, calls, this.clients.limit(),
                this.clients.contender(contender).promise());
        return measurement;
    }

    @Override
    public void close() {
        this.clients.close();
    }
}
