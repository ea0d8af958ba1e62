package io.pielock.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.pielock.limiter.RateLimitStore;
import io.pielock.lock.LockStore;
import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.store.memory.InMemoryRateLimitStore;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.store.redis.RedisRateLimitStore;

/**
 * The stores, one configuration per {@code pielock.store} value. Nothing falls back on its own: a Redis store
 * without Redis fails at startup, and so does an application processed ahead of time for another store
 * ({@link StoreChoice}).
 */
final class StoreConfigurations {

    private static final Log logger = LogFactory.getLog(StoreConfigurations.class);

    private static final String REDIS_CONNECTION_FACTORY = "org.springframework.data.redis.connection.RedisConnectionFactory";

    private StoreConfigurations() {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = REDIS_CONNECTION_FACTORY)
    @ConditionalOnProperty(name = "pielock.store", havingValue = "redis", matchIfMissing = true)
    static class RedisStoreConfiguration {

        @Bean
        StoreChoice pielockStoreChoice(Environment environment) {
            return StoreChoice.verified(PielockProperties.Store.REDIS, environment);
        }

        @Bean
        @ConditionalOnProperty(name = "pielock.redis.host")
        @ConditionalOnClass(name = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory")
        DedicatedRedisConnection pielockRedisConnection(PielockProperties properties) {
            return new DedicatedRedisConnection(properties.getRedis());
        }

        @Bean
        @ConditionalOnMissingBean
        RedisKeys pielockRedisKeys(PielockProperties properties) {
            try {
                return new RedisKeys(properties.getKeyPrefix());
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidPielockPropertyException("pielock.key-prefix",
                        ex.getMessage() + " (default pielock:)", ex);
            }
        }

        /** Chosen (and announced) once for both stores; lazy, so stores the application replaces need no Redis. */
        @Bean
        @Lazy
        StoreConnection pielockStoreConnection(PielockProperties properties,
                ObjectProvider<DedicatedRedisConnection> dedicated, ObjectProvider<RedisConnectionFactory> shared) {
            return new StoreConnection(connectionFactory(properties, dedicated, shared));
        }

        @Bean
        @ConditionalOnMissingBean(LockStore.class)
        RedisLockStore lockStore(PielockProperties properties, RedisKeys keys, StoreConnection connection) {
            int minReplicasAcked = properties.getLock().getMinReplicasAcked();
            if (minReplicasAcked < 0) {
                throw new InvalidPielockPropertyException("pielock.lock.min-replicas-acked",
                        "must be 0 (do not wait for replicas) or positive, but was " + minReplicasAcked + " (default 0)",
                        null);
            }
            return new RedisLockStore(connection.factory(), keys, minReplicasAcked);
        }

        @Bean
        @ConditionalOnMissingBean(RateLimitStore.class)
        RedisRateLimitStore rateLimitStore(PielockProperties properties, RedisKeys keys, StoreConnection connection) {
            return new RedisRateLimitStore(connection.factory(), keys, properties.getLimiter().isRememberDenials());
        }

        private static RedisConnectionFactory connectionFactory(PielockProperties properties,
                ObjectProvider<DedicatedRedisConnection> dedicated, ObjectProvider<RedisConnectionFactory> shared) {
            DedicatedRedisConnection own = dedicated.getIfAvailable();
            if (own != null) {
                logger.info("pielock: locks and limits in Redis at " + properties.getRedis().getHost() + ":"
                        + properties.getRedis().getPort() + " (pielock.redis.*)");
                return own.getConnectionFactory();
            }
            RedisConnectionFactory factory = shared.getIfUnique();
            if (factory == null) {
                throw new MissingRedisException("pielock.store is 'redis' but the application has no single "
                        + "RedisConnectionFactory bean and pielock.redis.host is not set");
            }
            logger.info("pielock: locks and limits in Redis (the application's RedisConnectionFactory, "
                    + "spring.data.redis.*)");
            return factory;
        }
    }

    /** The Redis connections both Redis stores use. */
    record StoreConnection(RedisConnectionFactory factory) {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "pielock.store", havingValue = "memory")
    static class MemoryStoreConfiguration {

        @Bean
        StoreChoice pielockStoreChoice(Environment environment) {
            return StoreChoice.verified(PielockProperties.Store.MEMORY, environment);
        }

        @Bean
        @ConditionalOnMissingBean(LockStore.class)
        InMemoryLockStore lockStore() {
            logger.info("pielock: locks and limits in memory: this JVM only, nothing is shared between "
                    + "instances. Set pielock.store=redis to share them.");
            return new InMemoryLockStore();
        }

        @Bean
        @ConditionalOnMissingBean(RateLimitStore.class)
        InMemoryRateLimitStore rateLimitStore() {
            return new InMemoryRateLimitStore();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(REDIS_CONNECTION_FACTORY)
    @ConditionalOnProperty(name = "pielock.store", havingValue = "redis", matchIfMissing = true)
    static class NoRedisOnClasspathConfiguration {

        @Bean
        @ConditionalOnMissingBean(LockStore.class)
        LockStore lockStore() {
            throw new MissingRedisException("pielock.store is 'redis' but Spring Data Redis is not on the classpath");
        }

        @Bean
        @ConditionalOnMissingBean(RateLimitStore.class)
        RateLimitStore rateLimitStore() {
            throw new MissingRedisException("pielock.store is 'redis' but Spring Data Redis is not on the classpath");
        }
    }
}
