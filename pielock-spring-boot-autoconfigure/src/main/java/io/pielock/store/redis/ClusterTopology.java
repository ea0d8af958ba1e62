package io.pielock.store.redis;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.lettuce.core.cluster.RedisClusterClient;

/**
 * Makes a Lettuce Redis Cluster client follow a failover as soon as pielock's own calls fail, instead of when its
 * periodic topology refresh comes round (never, unless {@code spring.data.redis.lettuce.cluster.refresh.period} is
 * set) or its adaptive refresh fires again (at most every 30 s by default): measured in {@code ClusterFailoverTest},
 * a client with only adaptive refresh kept sending to a killed master for the rest of a 10 s run although a
 * replica had been promoted 4 s after the kill. A failed call asks Lettuce to read the topology again, at most once
 * per {@link #MIN_INTERVAL_NANOS}; it only reads {@code CLUSTER NODES}, and Lettuce routes by what it learns.
 */
final class ClusterTopology {

    private static final Log logger = LogFactory.getLog(ClusterTopology.class);

    /** The shortest time between two refreshes asked for by failures. */
    static final long MIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Does nothing: not Lettuce, or not a cluster. */
    private static final ClusterTopology NONE = new ClusterTopology(null);

    private final LettuceConnectionFactory cluster;

    private final AtomicLong lastRefresh = new AtomicLong(System.nanoTime() - MIN_INTERVAL_NANOS);

    private ClusterTopology(LettuceConnectionFactory cluster) {
        this.cluster = cluster;
    }

    /**
     * @param connectionFactory the application's connection factory (blocking or reactive)
     * @return what refreshes its topology after failures, if it is a Lettuce cluster factory
     */
    static ClusterTopology of(Object connectionFactory) {
        return (connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware())
                ? new ClusterTopology(lettuce) : NONE;
    }

    /** A call failed: refresh the topology, unless that was asked less than a second ago. */
    void callFailed() {
        if (this.cluster == null) {
            return;
        }
        long now = System.nanoTime();
        long last = this.lastRefresh.get();
        if (now - last < MIN_INTERVAL_NANOS || !this.lastRefresh.compareAndSet(last, now)) {
            return;
        }
        try {
            if (this.cluster.getNativeClient() instanceof RedisClusterClient client) {
                client.refreshPartitionsAsync().exceptionally(failure -> {
                    logger.debug("Could not refresh the Redis Cluster topology", failure);
                    return null;
                });
            }
        }
        catch (RuntimeException ex) {
            logger.debug("Could not refresh the Redis Cluster topology", ex);
        }
    }
}
