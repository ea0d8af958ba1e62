package io.pielock.test;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound must let Lettuce do on non-blocking threads, registered through {@code META-INF/services} so
 * that it applies whichever test installs BlockHound first.
 * <p>
 * Lettuce guards each command write with a {@code ReentrantLock} held for a few instructions
 * ({@code SharedLock}): a writer on a Reactor thread may wait for it while another thread closes or reconnects
 * the endpoint, as a {@code synchronized} block would (which BlockHound does not see). Flagged, the
 * {@code BlockingOperationError} escapes from inside {@code incrementWriters} and the endpoint's writer count goes
 * wrong for good: every later write, and closing the connection, spins forever. That is BlockHound breaking
 * Lettuce, not a blocking call of pielock's.
 */
public class LettuceBlockHoundIntegration implements BlockHoundIntegration {

    private static final String SHARED_LOCK = "io.lettuce.core.protocol.SharedLock";

    private static final String NODE_CONNECTIONS = "io.lettuce.core.cluster.PooledClusterConnectionProvider"
            + "$NodeConnectionPostProcessor";

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside(SHARED_LOCK, "incrementWriters")
            .allowBlockingCallsInside(SHARED_LOCK, "doExclusive")
            .allowBlockingCallsInside(SHARED_LOCK, "lockWritersExclusive")
            // a Cluster connection's per-node bookkeeping, when a node connection completes on the event loop
            .allowBlockingCallsInside(NODE_CONNECTIONS, "lambda$apply$4");
        // the cluster connection caches its node connections and partitions under a lock
        String cluster = "io.lettuce.core.cluster.PooledClusterConnectionProvider";
        for (String method : new String[] { "lambda$getReadConnection$4", "lambda$getWriteConnection$0",
                "getReadConnection", "resetFastConnectionCache", "setPartitions" }) {
            builder.allowBlockingCallsInside(cluster, method);
        }
        // TLS: each new connection builds its SSLContext (reading the key and trust stores) on the event loop
        builder.allowBlockingCallsInside("io.lettuce.core.SslConnectionBuilder$SslChannelInitializer", "initChannel");
        // Netty's adaptive buffer allocator briefly takes a StampedLock when it grows its magazines under
        // contention (seen writing WebFlux responses from Reactor's parallel threads): Netty's design, not a wait
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup",
                "tryExpandMagazines");
    }
}
