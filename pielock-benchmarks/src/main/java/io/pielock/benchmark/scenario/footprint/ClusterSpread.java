package io.pielock.benchmark.scenario.footprint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.benchmark.measure.Parallel;
import io.pielock.benchmark.measure.RedisAdmin;
import io.pielock.limiter.Algorithm;
import io.pielock.limiter.Limit;
import io.pielock.limiter.Limiter;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.store.redis.RedisRateLimitStore;
import io.pielock.test.RedisCluster;
import io.pielock.test.RedisServer;

/**
 * Footprint part 4: how lock names and limiter keys spread over the masters of a Redis Cluster. Every key of a
 * name shares the name's hash tag, so a name lives on one master; distinct names should spread evenly. Locks are
 * taken and limiter decisions made through the real stores on a cluster connection factory; each master's
 * {@code DBSIZE} growth says how many names it got.
 */
public final class ClusterSpread {

    private final RedisCluster cluster;

    private final int threads;

    private final Consumer<String> log;

    /**
     * @param cluster a running cluster without replicas, empty
     * @param threads how many threads make the calls
     * @param log where progress lines go
     */
    public ClusterSpread(RedisCluster cluster, int threads, Consumer<String> log) {
        this.cluster = cluster;
        this.threads = threads;
        this.log = log;
    }

    /**
     * @param names how many lock names, and how many limiter keys
     * @return the spread of lock names, then of limiter keys
     * @throws Exception if the cluster cannot be reached or a call fails
     */
    public List<Spread> measure(int names) throws Exception {
        RedisKeys keys = new RedisKeys("pielock:");
        LettuceConnectionFactory factory = this.cluster.connectedFactory();
        RedisLockStore store = new RedisLockStore(factory, keys);
        try {
            Limiter limiter = new Limiter(new RedisRateLimitStore(factory, keys));
            Limit limit = new Limit(100, Duration.ofMinutes(10), Algorithm.GCRA);
            String[] locks = OperationCosts.names("order:", names);
            String[] tokens = OperationCosts.tokens(names);
            String[] limited = OperationCosts.names("user:", names);
            long[] start = dbSizes();
            Parallel.run("fp-cluster-locks", this.threads, names, i -> OperationCosts.require(
                    store.tryAcquire(locks[i], tokens[i], Duration.ofMinutes(10)).acquired(), "acquire", locks[i]));
            long[] afterLocks = dbSizes();
            Parallel.run("fp-cluster-limits", this.threads, names, i -> {
                if (!limiter.allow(limited[i], List.of(limit)).allowed()) {
                    throw new IllegalStateException("first call of " + limited[i] + " denied");
                }
            });
            long[] afterLimits = dbSizes();
            List<Spread> spreads = List.of(spread("lock names (`order:<n>`), held", names, 2, start, afterLocks),
                    spread("limiter keys (`user:<n>`), GCRA", names, 1, afterLocks, afterLimits));
            for (Spread spread : spreads) {
                StringBuilder line = new StringBuilder("  " + spread.what() + ":");
                spread.masters().forEach(m -> line.append(String.format(" %,d (%.3f)", m.names(),
                        spread.relativeShare(m))));
                this.log.accept(line.toString());
            }
            return spreads;
        }
        finally {
            store.destroy();
            factory.destroy();
        }
    }

    private Spread spread(String what, int names, int keysPerName, long[] before, long[] after) {
        List<Spread.Master> masters = new ArrayList<>();
        List<RedisServer> nodes = this.cluster.masters();
        for (int i = 0; i < nodes.size(); i++) {
            RedisServer node = nodes.get(i);
            masters.add(new Spread.Master(node.host() + ":" + node.port(), slots(node),
                    (after[i] - before[i]) / keysPerName));
        }
        return new Spread(what, names, keysPerName, masters);
    }

    private long[] dbSizes() {
        List<RedisServer> nodes = this.cluster.masters();
        long[] sizes = new long[nodes.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = new RedisAdmin(nodes.get(i)).dbSize();
        }
        return sizes;
    }

    /** @return how many slots the node serves, from {@code CLUSTER SLOTS} */
    private static long slots(RedisServer node) {
        long slots = 0;
        for (Object range : (List<?>) node.call("CLUSTER", "SLOTS")) {
            List<?> fields = (List<?>) range;
            int port = ((Long) ((List<?>) fields.get(2)).get(1)).intValue();
            if (port == node.port()) {
                slots += (Long) fields.get(1) - (Long) fields.get(0) + 1;
            }
        }
        return slots;
    }
}
