package io.pielock.store.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Release channels as classic pub/sub, through Spring Data Redis's listener container (which connects on the first
 * subscription and reconnects by itself): for a standalone or Sentinel Redis, any client library, and Redis
 * Clusters that cannot do sharded pub/sub.
 */
final class ClassicReleaseSubscriptions implements ReleaseSubscriptions {

    private final RedisMessageListenerContainer container = new RedisMessageListenerContainer();

    private final Map<Channel, Listener> listeners = new ConcurrentHashMap<>();

    ClassicReleaseSubscriptions(RedisConnectionFactory connectionFactory) {
        this.container.setConnectionFactory(connectionFactory);
        // the listener only unparks a thread: run it on the subscription thread, not a new thread per message
        this.container.setTaskExecutor(new SyncTaskExecutor());
        this.container.setRecoveryInterval(1000);
        this.container.afterPropertiesSet();
        this.container.start();
    }

    @Override
    public void subscribe(Channel channel) {
        Listener listener = new Listener(channel);
        this.listeners.put(channel, listener);
        try {
            this.container.addMessageListener(listener, listener.topic);
        }
        catch (RuntimeException ex) {
            this.listeners.remove(channel, listener);
            throw ex;
        }
    }

    @Override
    public void unsubscribe(Channel channel) {
        Listener listener = this.listeners.remove(channel);
        if (listener != null) {
            this.container.removeMessageListener(listener, listener.topic);
        }
    }

    @Override
    public byte[] publishCommand() {
        return PUBLISH;
    }

    @Override
    public void close() {
        try {
            this.container.destroy();
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not stop listening for lock releases", ex);
        }
    }

    private record Listener(Channel channel, ChannelTopic topic) implements MessageListener, SubscriptionListener {

        Listener(Channel channel) {
            this(channel, new ChannelTopic(channel.name()));
        }

        @Override
        public void onMessage(Message message, byte[] pattern) {
            this.channel.heard(message.getBody());
        }

        @Override
        public void onChannelSubscribed(byte[] channel, long count) {
            this.channel.subscribed();
        }
    }
}
