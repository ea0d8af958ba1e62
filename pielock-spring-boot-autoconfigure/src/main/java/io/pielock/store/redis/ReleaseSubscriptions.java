package io.pielock.store.redis;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * How a {@link RedisLockStore} subscribes to the release channels of the locks its JVM waits for, and which command
 * its scripts announce releases with: classic channels ({@code SUBSCRIBE}/{@code PUBLISH}) on a standalone or
 * Sentinel Redis, sharded channels ({@code SSUBSCRIBE}/{@code SPUBLISH}) on Redis Cluster, where a message then
 * stays on the shard of the lock's slot instead of crossing the cluster bus to every node.
 */
interface ReleaseSubscriptions {

    /**
     * @param connectionFactory the application's connection factory
     * @return sharded release channels if the factory is Lettuce's, on Redis Cluster; classic ones otherwise
     */
    static ReleaseSubscriptions forFactory(RedisConnectionFactory connectionFactory) {
        if (connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware()) {
            return new ShardedReleaseSubscriptions(lettuce);
        }
        return new ClassicReleaseSubscriptions(connectionFactory);
    }

    /** What a subscription tells its lock's waiters. */
    interface Channel {

        /** @return the channel's name */
        String name();

        /** A release was announced on the channel: {@code message} says whether it passed the lock to a waiter. */
        void heard(byte[] message);

        /** Redis confirmed the subscription: releases announced from now on are heard. */
        void subscribed();
    }

    /**
     * Subscribes to a channel; without waiting for Redis to confirm it.
     * @param channel the channel and who to tell
     * @throws RuntimeException if the subscription could not even be sent
     */
    void subscribe(Channel channel);

    /** @param channel a channel subscribed earlier: drops it */
    void unsubscribe(Channel channel);

    /** The command name {@code PUBLISH}, as the scripts take it (never modify). */
    byte[] PUBLISH = { 'P', 'U', 'B', 'L', 'I', 'S', 'H' };

    /** The command name {@code SPUBLISH}, as the scripts take it (never modify). */
    byte[] SPUBLISH = { 'S', 'P', 'U', 'B', 'L', 'I', 'S', 'H' };

    /** @return the command the scripts announce a release with: {@link #PUBLISH} or {@link #SPUBLISH} */
    byte[] publishCommand();

    /** Closes the connections. */
    void close();
}
