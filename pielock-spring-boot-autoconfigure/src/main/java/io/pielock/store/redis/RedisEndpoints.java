package io.pielock.store.redis;

import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Names the Redis a connection factory reaches, for error messages: hosts and ports, never credentials.
 */
final class RedisEndpoints {

    private RedisEndpoints() {
    }

    /**
     * @param factory the connections
     * @return for example {@code "Redis at localhost:6379"}, {@code "Redis Cluster at a:7000, b:7001"} or
     *         {@code "Redis Sentinel master 'mymaster' via s1:26379"}
     */
    static String describe(RedisConnectionFactory factory) {
        if (!(factory instanceof LettuceConnectionFactory lettuce)) {
            return "Redis (" + factory.getClass().getSimpleName() + ")";
        }
        RedisClusterConfiguration cluster = lettuce.getClusterConfiguration();
        if (cluster != null) {
            return "Redis Cluster at " + nodes(cluster.getClusterNodes());
        }
        RedisSentinelConfiguration sentinel = lettuce.getSentinelConfiguration();
        if (sentinel != null) {
            String master = (sentinel.getMaster() != null) ? sentinel.getMaster().getName() : "?";
            return "Redis Sentinel master '" + master + "' via " + nodes(sentinel.getSentinels());
        }
        return "Redis at " + lettuce.getHostName() + ":" + lettuce.getPort();
    }

    private static String nodes(Iterable<RedisNode> nodes) {
        return StreamSupport.stream(nodes.spliterator(), false)
            .map(node -> node.getHost() + ":" + node.getPort())
            .collect(Collectors.joining(", "));
    }
}
