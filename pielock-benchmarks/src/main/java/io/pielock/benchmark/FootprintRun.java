package io.pielock.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.pielock.benchmark.contender.RedisEndpoint;
import io.pielock.benchmark.measure.RedisAdmin;
import io.pielock.benchmark.report.MachineFacts;
import io.pielock.benchmark.scenario.footprint.BytesFigure;
import io.pielock.benchmark.scenario.footprint.ClusterSpread;
import io.pielock.benchmark.scenario.footprint.FanOut;
import io.pielock.benchmark.scenario.footprint.MemoryFootprint;
import io.pielock.benchmark.scenario.footprint.OperationCost;
import io.pielock.benchmark.scenario.footprint.OperationCosts;
import io.pielock.benchmark.scenario.footprint.ReleaseFanOut;
import io.pielock.benchmark.scenario.footprint.Spread;
import io.pielock.test.RedisCluster;
import io.pielock.test.RedisServer;

/**
 * One footprint run: on a throwaway standalone {@code redis-server}, Redis commands and time per operation, bytes
 * per lock and limiter key, and who hears a release; then, on a throwaway three-master Redis Cluster, how names
 * spread over the masters.
 */
public final class FootprintRun {

    private final FootprintSettings settings;

    private final Consumer<String> log;

    /**
     * @param settings how big
     * @param log where progress lines go
     */
    public FootprintRun(FootprintSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * @return what it measured
     * @throws Exception if Redis cannot be started or a measurement fails
     */
    public FootprintResults run() throws Exception {
        long started = System.nanoTime();
        FootprintSettings s = this.settings;
        MachineFacts machine;
        List<BytesFigure> bytes;
        List<FanOut> fanOuts = new ArrayList<>();
        List<OperationCost> costs;
        try (RedisServer server = RedisServer.start()) {
            RedisAdmin redis = new RedisAdmin(server);
            RedisEndpoint endpoint = new RedisEndpoint(server.host(), server.port());
            machine = MachineFacts.collect(redis.version());
            this.log.accept("Redis " + machine.redis() + " on port " + server.port() + "; " + s.summary());
            this.log.accept("Part 1: Redis commands and time per operation");
            costs = new OperationCosts(endpoint, redis, s.operations(), s.threads(), this.log).measure();
            this.log.accept("Part 2: bytes");
            bytes = new MemoryFootprint(endpoint, redis, s.threads(), this.log).measure(s.heldLocks(),
                    s.releasedNames(), s.shortLease(), s.limiterKeys(), s.callsPerKey());
            this.log.accept("Part 3: who hears a release");
            ReleaseFanOut fanOut = new ReleaseFanOut(endpoint, redis, this.log);
            fanOuts.add(fanOut.measure(2, s.releases()));
            fanOuts.add(fanOut.measure(s.stores(), s.releases()));
        }
        this.log.accept("Part 4: spread over a 3-master Redis Cluster");
        List<Spread> spreads;
        String clusterRedis;
        try (RedisCluster cluster = RedisCluster.start(3, 0)) {
            clusterRedis = new RedisAdmin(cluster.masters().get(0)).version();
            spreads = new ClusterSpread(cluster, Math.max(s.threads(), 8), this.log).measure(s.clusterNames());
        }
        return new FootprintResults(s, machine, costs, bytes, fanOuts, spreads, clusterRedis,
                Duration.ofNanos(System.nanoTime() - started), Instant.now());
    }
}
