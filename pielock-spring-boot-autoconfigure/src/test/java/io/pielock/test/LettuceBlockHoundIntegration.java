package io.pielock.test;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells BlockHound (installed by {@link NonBlocking}, found through {@code META-INF/services}) about Lettuce's own
 * short critical sections: every command write briefly takes the connection's {@code SharedLock}, which a
 * reconnect or close holds exclusively for a moment, and the cluster connection caches its node connections
 * under a lock. That is Lettuce's design on its non-blocking paths, not a blocking call of pielock's; flagged,
 * BlockHound would throw inside Lettuce's lock and leave it locked for good.
 */
public final class LettuceBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        String sharedLock = "io.lettuce.core.protocol.SharedLock";
        builder.allowBlockingCallsInside(sharedLock, "incrementWriters");
        builder.allowBlockingCallsInside(sharedLock, "doExclusive");
        String cluster = "io.lettuce.core.cluster.PooledClusterConnectionProvider";
        builder.allowBlockingCallsInside(cluster + "$NodeConnectionPostProcessor", "lambda$apply$4");
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
