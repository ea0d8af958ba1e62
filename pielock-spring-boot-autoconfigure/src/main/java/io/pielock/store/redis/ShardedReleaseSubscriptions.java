package io.pielock.store.redis;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;

/**
 * Release channels as sharded pub/sub on Redis Cluster (Redis 7 or later), through Lettuce's cluster pub/sub
 * connection of the application's own client: Lettuce sends each {@code SSUBSCRIBE} to the master that owns the
 * channel's slot (the lock's, as channel and lock share a hash tag), and the release script's {@code SPUBLISH}
 * reaches only that shard's subscribers, without crossing the cluster bus to every node as {@code PUBLISH} does.
 * Lettuce reconnects and subscribes again by itself; waiters poll meanwhile.
 * <p>
 * Nothing connects before the first subscription. If the cluster does not know {@code SSUBSCRIBE} (Redis 6), this
 * falls back to classic channels for good; the release scripts publish classically on such a server anyway.
 */
final class ShardedReleaseSubscriptions implements ReleaseSubscriptions {

    private static final Log logger = LogFactory.getLog(ShardedReleaseSubscriptions.class);

    private final LettuceConnectionFactory connectionFactory;

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    private volatile StatefulRedisClusterPubSubConnection<byte[], byte[]> connection;

    /** Classic channels, once the cluster turned out not to know sharded ones. */
    private volatile ClassicReleaseSubscriptions classic;

    ShardedReleaseSubscriptions(LettuceConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    @Override
    public void subscribe(Channel channel) {
        ClassicReleaseSubscriptions fallback = this.classic;
        if (fallback != null) {
            fallback.subscribe(channel);
            return;
        }
        this.channels.put(channel.name(), channel);
        try {
            connection().async().ssubscribe(bytes(channel.name())).whenComplete((ignored, failure) -> {
                if (failure != null) {
                    subscriptionFailed(channel, failure);
                }
            });
        }
        catch (RuntimeException ex) {
            this.channels.remove(channel.name(), channel);
            throw ex;
        }
    }

    private void subscriptionFailed(Channel channel, Throwable failure) {
        if (failure instanceof RedisCommandExecutionException && String.valueOf(failure.getMessage()).contains("unknown command")) {
            synchronized (this) {
                if (this.classic == null) {
                    logger.info("Redis Cluster does not know SSUBSCRIBE (Redis 6?): lock releases use classic pub/sub");
                    this.classic = new ClassicReleaseSubscriptions(this.connectionFactory);
                }
            }
            if (this.channels.remove(channel.name(), channel)) {
                this.classic.subscribe(channel);
            }
            return;
        }
        logger.warn("Could not subscribe to '" + channel.name() + "'; the lock's waiters poll", failure);
    }

    @Override
    public void unsubscribe(Channel channel) {
        if (this.channels.remove(channel.name(), channel)) {
            StatefulRedisClusterPubSubConnection<byte[], byte[]> current = this.connection;
            if (current != null) {
                current.async().sunsubscribe(bytes(channel.name()));
            }
            return;
        }
        ClassicReleaseSubscriptions fallback = this.classic;
        if (fallback != null) {
            fallback.unsubscribe(channel);
        }
    }

    @Override
    public byte[] publishCommand() {
        return (this.classic != null) ? PUBLISH : SPUBLISH;
    }

    private StatefulRedisClusterPubSubConnection<byte[], byte[]> connection() {
        StatefulRedisClusterPubSubConnection<byte[], byte[]> current = this.connection;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (this.connection == null) {
                RedisClusterClient client = (RedisClusterClient) this.connectionFactory.getRequiredNativeClient();
                StatefulRedisClusterPubSubConnection<byte[], byte[]> created = client.connectPubSub(ByteArrayCodec.INSTANCE);
                created.addListener(new Listener());
                this.connection = created;
            }
            return this.connection;
        }
    }

    @Override
    public void close() {
        StatefulRedisClusterPubSubConnection<byte[], byte[]> current = this.connection;
        if (current != null) {
            current.closeAsync().orTimeout(5, TimeUnit.SECONDS);
        }
        ClassicReleaseSubscriptions fallback = this.classic;
        if (fallback != null) {
            fallback.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Hands the messages and confirmations of every shard (Lettuce propagates them here) to their channels. */
    private final class Listener extends RedisPubSubAdapter<byte[], byte[]> {

        @Override
        public void smessage(byte[] channel, byte[] message) {
            Channel subscribed = ShardedReleaseSubscriptions.this.channels.get(new String(channel, StandardCharsets.UTF_8));
            if (subscribed != null) {
                subscribed.heard(message);
            }
        }

        @Override
        public void ssubscribed(byte[] channel, long count) {
            Channel subscribed = ShardedReleaseSubscriptions.this.channels.get(new String(channel, StandardCharsets.UTF_8));
            if (subscribed != null) {
                subscribed.subscribed();
            }
        }
    }
}
