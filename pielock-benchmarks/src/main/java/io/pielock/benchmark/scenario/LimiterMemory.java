package io.pielock.benchmark.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.pielock.benchmark.contender.LimiterClient;
import io.pielock.benchmark.contender.RateLimit;
import io.pielock.benchmark.contender.RedisEndpoint;
import io.pielock.benchmark.measure.LimiterCalls;
import io.pielock.benchmark.measure.RedisAdmin;
import io.pielock.benchmark.measure.Threads;

/**
 * Scenario 8: what a rate limit key costs in Redis once it has seen a full window of calls, and whether it
 * expires by itself.
 */
public final class LimiterMemory implements Scenario {

    private static final int CALLS_PER_KEY = 100;

    private final int keys;

    private final int threads;

    private final LimiterClients clients;

    private final RedisAdmin redis;

    /**
     * @param keys how many rate limit keys to fill
     * @param threads how many threads make the calls
     * @param endpoint where Redis listens
     * @param redis to look at Redis's memory and keys
     */
    public LimiterMemory(int keys, int threads, RedisEndpoint endpoint, RedisAdmin redis) {
        this.keys = keys;
        this.threads = threads;
        this.clients = new LimiterClients(endpoint, new RateLimit(CALLS_PER_KEY, Duration.ofMinutes(1)));
        this.redis = redis;
    }

    @Override
    public String id() {
        return "8";
    }

    @Override
    public String title() {
        return "Redis bytes per limiter key, " + this.clients.limit() + ", after " + CALLS_PER_KEY + " calls";
    }

    @Override
    public String label() {
        return "limit, bytes/key";
    }

    @Override
    public String measures() {
        return this.keys + " fresh keys with a limit of " + this.clients.limit() + " get " + CALLS_PER_KEY
                + " calls each (" + this.threads + " threads). Then every Redis key whose name contains one of "
                + "them is found by `SCAN`: bytes/key is the sum of their `MEMORY USAGE ... SAMPLES 0` divided by "
                + "the number of rate limit keys; used_memory Δ is the growth of `INFO memory used_memory` over "
                + "the calls, divided the same way (noisier: it includes client buffers); with TTL: the share of "
                + "those Redis keys with an expiry.";
    }

    @Override
    public Metric primary() {
        return Metric.BYTES_PER_KEY;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(Metric.BYTES_PER_KEY, Metric.USED_MEMORY_PER_KEY, Metric.REDIS_KEYS, Metric.WITH_TTL,
                Metric.ADMITTED);
    }

    @Override
    public List<String> contenders() {
        return this.clients.names();
    }

    @Override
    public Measurement measure(String contender, int round) throws InterruptedException {
        String tag = "m" + round + contender.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "") + "-k";
        String[] names = new String[this.keys];
        for (int i = 0; i < this.keys; i++) {
            names[i] = tag + i;
        }
        // earlier scenarios' keys expiring meanwhile would shrink used_memory: start from an empty Redis
        this.redis.flushAll();
        LimiterClient client = this.clients.get(contender);
        long usedBefore = this.redis.usedMemory();
        List<LimiterCalls> perThread = new ArrayList<>();
        List<Runnable> loops = new ArrayList<>();
        for (int thread = 0; thread < this.threads; thread++) {
            LimiterCalls calls = new LimiterCalls(Long.MIN_VALUE, Long.MAX_VALUE);
            perThread.add(calls);
            int first = thread;
            loops.add(() -> {
                for (int call = 0; call < CALLS_PER_KEY; call++) {
                    for (int key = first; key < names.length; key += this.threads) {
                        calls.decide(client, names, key);
                    }
                }
            });
        }
        Threads.runAll("s8-" + contender, loops);
        long usedAfter = this.redis.usedMemory();
        List<String> redisKeys = this.redis.keys("*" + tag + "*");
        Measurement measurement = new Measurement()
            .put(Metric.BYTES_PER_KEY, (double) this.redis.memoryUsage(redisKeys) / this.keys)
            .put(Metric.USED_MEMORY_PER_KEY, (double) (usedAfter - usedBefore) / this.keys)
            .put(Metric.REDIS_KEYS, (double) redisKeys.size() / this.keys)
            .put(Metric.WITH_TTL, redisKeys.isEmpty() ? Double.NaN : 100.0 * this.redis.withTtl(redisKeys)
                    / redisKeys.size());
        LimiterCalls calls = LimiterCalls.merge(perThread);
        measurement.operations(calls.total()).put(Metric.ADMITTED, calls.admittedPercent());
        measurement.violationIf(redisKeys.isEmpty(), "no Redis key contains the rate limit keys' names ("
                + tag + "…); cannot measure memory");
        LimiterChecks.keptPromise(measurement, calls, this.clients.limit(),
                this.clients.contender(contender).promise());
        this.redis.delete(redisKeys);
        return measurement;
    }

    @Override
    public void close() {
        this.clients.close();
    }
}
