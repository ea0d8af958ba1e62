package io.pielock.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.BaseRedisCommands;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.protocol.ConnectionIntent;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.util.ClassUtils;

/**
 * Redis {@code WAIT} after an acquisition, on the connection that wrote it: {@code WAIT} counts the replicas
 * that have acknowledged the calling connection's own writes, so asking on any other connection would prove
 * nothing. On Redis Cluster that is Lettuce's connection to the master serving the lock's slot, the one the
 * acquisition was routed through.
 */
final class ReplicaAcknowledgement {

    private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.api.async.RedisAsyncCommands",
            ReplicaAcknowledgement.class.getClassLoader());

    private ReplicaAcknowledgement() {
    }

    /**
     * @param connection the connection the acquisition ran on
     * @param lockKey the lock's Redis key (on a cluster, it selects the master)
     * @param replicas how many replicas to wait for
     * @param timeout how long Redis may block
     * @return how many replicas acknowledged the connection's writes
     */
    static long await(RedisConnection connection, String lockKey, int replicas, Duration timeout) {
        BaseRedisCommands<byte[], byte[]> lettuce = LETTUCE_PRESENT ? Lettuce.writer(connection, lockKey) : null;
        if (lettuce != null) {
            return lettuce.waitForReplication(replicas, timeout.toMillis());
        }
        if (connection instanceof RedisClusterConnection) {
            throw new IllegalStateException("pielock.lock.min-replicas-acked on Redis Cluster needs Lettuce; "
                    + "this connection is a " + connection.getClass().getName());
        }
        Object acknowledged = connection.execute("WAIT", bytes(Integer.toString(replicas)),
                bytes(Long.toString(timeout.toMillis())));
        return ((Number) acknowledged).longValue();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Kept apart so that Lettuce's types are only loaded when Lettuce is there. */
    private static final class Lettuce {

        /** @return the Lettuce connection that carried the lock's writes, or {@code null} if not Lettuce */
        @SuppressWarnings("unchecked")
        static BaseRedisCommands<byte[], byte[]> writer(RedisConnection connection, String lockKey) {
            Object commands = connection.getNativeConnection();
            if (connection instanceof RedisClusterConnection cluster
                    && commands instanceof RedisAdvancedClusterAsyncCommands<?, ?> clusterCommands) {
                // Lettuce routes a key's writes through its WRITE connection to the slot's master
                RedisClusterNode master = cluster.clusterGetNodeForKey(bytes(lockKey));
                return ((RedisAdvancedClusterAsyncCommands<byte[], byte[]>) clusterCommands).getStatefulConnection()
                    .getConnection(master.getHost(), master.getPort(), ConnectionIntent.WRITE)
                    .sync();
            }
            if (commands instanceof RedisAsyncCommands<?, ?> standalone) {
                return ((RedisAsyncCommands<byte[], byte[]>) standalone).getStatefulConnection().sync();
            }
            return null;
        }
    }
}
