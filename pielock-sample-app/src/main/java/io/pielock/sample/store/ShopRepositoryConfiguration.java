package io.pielock.sample.store;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.sample.ShopProperties;

/**
 * Puts the shop's state where pielock keeps its locks, decided by the same property, {@code pielock.store}.
 * Like every bean condition, it is decided once when the application is processed ahead of time (Spring AOT).
 */
@Configuration(proxyBeanMethods = false)
@ImportRuntimeHints(ShopRuntimeHints.class)
public class ShopRepositoryConfiguration {

    @Bean
    @ConditionalOnProperty(name = "pielock.store", havingValue = "redis", matchIfMissing = true)
    ShopRepository redisShopRepository(StringRedisTemplate redis, ShopProperties properties) {
        return new RedisShopRepository(redis, properties.getKeyPrefix());
    }

    @Bean
    @ConditionalOnProperty(name = "pielock.store", havingValue = "memory")
    ShopRepository inMemoryShopRepository() {
        return new InMemoryShopRepository();
    }
}
