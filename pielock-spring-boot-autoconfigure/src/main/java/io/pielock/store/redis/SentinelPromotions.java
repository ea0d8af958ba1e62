package io.pielock.store.redis;

import java.util.Collections;
import java.util.Properties;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;

/**
 * Makes a Lettuce connection configured through Redis Sentinel follow a promotion as soon as the Sentinels announce
 * it ({@code +switch-master}), instead of when its connection to the old master breaks. Lettuce asks the Sentinels
 * for the master only when it connects; a master that was frozen (or cut off by a partition) keeps the connection
 * open, so without this the application stays on the old master: measured in {@code SentinelFailoverTest}, every
 * call timed out until the old master thawed, and then locks were granted on the thawed old master for several
 * seconds, while the Sentinels had already promoted a replica (a split-brain window).
 * <p>
 * On the first store call, this subscribes to {@code +switch-master} on every configured Sentinel (one pub/sub
 * connection each, made asynchronously; Lettuce reconnects them). When a Sentinel announces a new master for the
 * configured master name, the factory's shared connection is asked which port its server listens on
 * ({@code INFO server}); unless that is the new master's, or if it does not answer (a frozen master), the connection
 * is reset ({@link LettuceConnectionFactory#resetConnection()}) and the next call connects to the master the
 * Sentinels name now. A connection that Lettuce already moved to the new master (a killed master closes it) keeps
 * working and is not reset. Connections taken from a pool ({@code shareNativeConnection=false}) are not reset, and
 * a Sentinel that announces another port than the server's own ({@code replica-announce-port}) causes one
 * needless reset.
 */
final class SentinelPromotions {

    private static final Log logger = LogFactory.getLog(SentinelPromotions.class);

    private static final String SWITCH_MASTER = "+switch-master";

    /**
     * The factories followed already: the lock and the rate limit store share one subscription per factory. The
     * subscriptions are connections of the factory's own Lettuce client, so they close when it is destroyed.
     */
    private static final Set<LettuceConnectionFactory> FOLLOWED = Collections.newSetFromMap(new WeakHashMap<>());

    /** Does nothing: not Lettuce, or not Sentinel. */
    private static final SentinelPromotions NONE = new SentinelPromotions(null, null);

    private final LettuceConnectionFactory factory;

    private final RedisSentinelConfiguration sentinels;

    private final AtomicBoolean started = new AtomicBoolean();


    private SentinelPromotions(LettuceConnectionFactory factory, RedisSentinelConfiguration sentinels) {
        this.factory = factory;
        this.sentinels = sentinels;
    }

    /**
     * @param connectionFactory the application's connection factory
     * @return what follows the Sentinels' promotions, if it is a Lettuce Sentinel factory
     */
    static SentinelPromotions of(RedisConnectionFactory connectionFactory) {
        if (connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.isRedisSentinelAware()
                && lettuce.getSentinelConfiguration() != null) {
            return new SentinelPromotions(lettuce, lettuce.getSentinelConfiguration());
        }
        return NONE;
    }

    /** Subscribes to the Sentinels' announcements, once; later calls return at once. */
    void follow() {
        if (this.factory == null || this.started.get() || !this.started.compareAndSet(false, true)) {
            return;
        }
        synchronized (FOLLOWED) {
            if (!FOLLOWED.add(this.factory)) {
                return;
            }
        }
        try {
            if (!(this.factory.getNativeClient() instanceof RedisClient client)) {
                return;
            }
            for (RedisNode sentinel : this.sentinels.getSentinels()) {
                client.connectPubSubAsync(StringCodec.UTF8, uri(sentinel)).whenComplete((connection, failure) -> {
                    if (failure != null) {
                        logger.debug("Could not subscribe to " + SWITCH_MASTER + " on Sentinel " + sentinel, failure);
                        return;
                    }
                    connection.addListener(new Announcements());
                    connection.async().subscribe(SWITCH_MASTER);
                });
            }
        }
        catch (RuntimeException ex) {
            logger.debug("Could not subscribe to the Sentinels' " + SWITCH_MASTER, ex);
        }
    }

    /**
     * The Sentinels named a new master: checks, off the event loop, where the shared connection is, and resets it
     * unless it already talks to the new master (Lettuce moves it by itself when the old master's connection
     * closes, as when it was killed: resetting it then would only fail its commands in flight). A connection that
     * does not answer within the command timeout (a frozen master) is reset too.
     */
    private void promoted(String newPort) {
        Thread check = new Thread(() -> {
            String port = null;
            try (RedisConnection connection = this.factory.getConnection()) {
                Properties server = connection.serverCommands().info("server");
                port = (server != null) ? server.getProperty("tcp_port") : null;
            }
            catch (RuntimeException ex) {
                logger.debug("The connection did not answer after a promotion: resetting it", ex);
            }
            if (!newPort.equals(port)) {
                this.factory.resetConnection();
            }
        }, "pielock-sentinel-follower");
        check.setDaemon(true);
        check.start();
    }

    private RedisURI uri(RedisNode sentinel) {
        RedisURI.Builder uri = RedisURI.builder().withHost(sentinel.getHost()).withPort(sentinel.getPort());
        char[] password = this.sentinels.getSentinelPassword().toOptional().orElse(null);
        if (password != null) {
            String username = this.sentinels.getSentinelUsername();
            if (username != null) {
                uri.withAuthentication(username, password);
            }
            else {
                uri.withPassword(password);
            }
        }
        return uri.build();
    }

    /** {@code +switch-master <name> <old-ip> <old-port> <new-ip> <new-port>}, from each Sentinel. */
    private final class Announcements extends RedisPubSubAdapter<String, String> {

        @Override
        public void message(String channel, String message) {
            String[] fields = message.split(" ");
            String master = SentinelPromotions.this.sentinels.getMaster().getName();
            if (!SWITCH_MASTER.equals(channel) || fields.length < 5 || !fields[0].equals(master)) {
                return;
            }
            logger.info("Redis Sentinel promoted " + fields[3] + ":" + fields[4] + " to master of '" + master
                    + "' (was " + fields[1] + ":" + fields[2] + ")");
            promoted(fields[4]);
        }
    }
}
