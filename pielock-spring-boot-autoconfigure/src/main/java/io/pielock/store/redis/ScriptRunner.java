package io.pielock.store.redis;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Runs the stores' {@link LuaScript}s on connections from a Spring Data Redis factory, with as little per-call work
 * as the factory allows.
 * <p>
 * On Lettuce with a shared native connection (Spring Boot's default) every call goes through one
 * {@link RedisConnection} object: its commands all travel over the shared, thread-safe native connection anyway,
 * and a new {@code LettuceConnection} per call (eleven command facades, two loggers) costs about a tenth of a
 * lock or limit decision. After an error (reset, restart) the next call asks the factory again. Otherwise (Jedis,
 * or a native connection per operation) each call takes a connection and closes it.
 * <p>
 * It also keeps the client on the current master through failovers: on Redis Cluster a failed call has Lettuce
 * read the topology again ({@link ClusterTopology}); with Sentinel, the Sentinels' promotions reset the shared
 * connection ({@link SentinelPromotions}).
 */
final class ScriptRunner {

    private final RedisConnectionFactory connectionFactory;

    /** Whether every connection of the factory sends its commands through one thread-safe native connection. */
    private final boolean sharesNativeConnection;

    /** The connection every call uses when {@link #sharesNativeConnection}; replaced after an error. */
    private volatile RedisConnection shared;

    private final ClusterTopology topology;

    private final SentinelPromotions promotions;

    ScriptRunner(RedisConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
        this.topology = ClusterTopology.of(connectionFactory);
        this.promotions = SentinelPromotions.of(connectionFactory);
        this.sharesNativeConnection = connectionFactory instanceof LettuceConnectionFactory lettuce
                && lettuce.getShareNativeConnection();
    }

    /**
     * A call failed: on Redis Cluster the slot's master may have failed over, so the client reads the topology
     * again.
     */
    void callFailed() {
        this.topology.callFailed();
    }

    /**
     * Runs a script (by SHA, by text if the server lacks it).
     * @param script the script
     * @param returnType how to read its reply
     * @param numKeys how many of {@code keysAndArgs} are keys
     * @param keysAndArgs the keys, then the arguments
     * @param <R> the reply type ({@code Long} for {@code INTEGER}, {@code List<Object>} for {@code MULTI})
     * @return the reply
     */
    <R> R run(LuaScript<?> script, ReturnType returnType, int numKeys, byte[][] keysAndArgs) {
        this.promotions.follow();
        if (!this.sharesNativeConnection) {
            try (RedisConnection connection = this.connectionFactory.getConnection()) {
                return script.run(connection, returnType, numKeys, keysAndArgs);
            }
            catch (RuntimeException ex) {
                callFailed();
                throw ex;
            }
        }
        RedisConnection connection = this.shared;
        if (connection == null) {
            // two threads may both get one here: either will do
            connection = this.connectionFactory.getConnection();
            this.shared = connection;
        }
        try {
            return script.run(connection, returnType, numKeys, keysAndArgs);
        }
        catch (RuntimeException ex) {
            // the factory may have replaced its native connection (reset, restart): ask it again next time
            this.shared = null;
            callFailed();
            throw ex;
        }
    }
}
