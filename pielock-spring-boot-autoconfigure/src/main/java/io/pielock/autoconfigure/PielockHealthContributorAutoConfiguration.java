package io.pielock.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.pielock.actuate.PielockRedisHealthIndicator;

/**
 * The {@code pielock} health indicator, for pielock's own Redis connection ({@code pielock.redis.*}) only: when
 * pielock uses the application's {@code RedisConnectionFactory}, Boot's {@code redis} health indicator covers it
 * and nothing is registered here. {@code management.health.pielock.enabled=false} switches it off.
 */
@AutoConfiguration(after = PielockAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.health.contributor.HealthIndicator",
        "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator",
        "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory" })
public final class PielockHealthContributorAutoConfiguration {

    /** Its conditions name health classes: read only once they are known to be there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(DedicatedRedisConnection.class)
    @ConditionalOnEnabledHealthIndicator("pielock")
    static class DedicatedConnectionHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "pielockHealthIndicator")
        PielockRedisHealthIndicator pielockHealthIndicator(DedicatedRedisConnection connection,
                PielockProperties properties) {
            return new PielockRedisHealthIndicator(connection.getConnectionFactory(),
                    "Redis at " + properties.getRedis().getHost() + ":" + properties.getRedis().getPort()
                            + " (pielock.redis.*)");
        }
    }
}
