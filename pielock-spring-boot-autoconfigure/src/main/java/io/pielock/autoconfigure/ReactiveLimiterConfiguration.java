package io.pielock.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

import io.pielock.autoconfigure.StoreConfigurations.StoreConnection;
import io.pielock.limiter.LimitCatalog;
import io.pielock.limiter.LimiterObserver;
import io.pielock.limiter.ReactiveLimiter;
import io.pielock.limiter.ReactiveRateLimitStore;
import io.pielock.store.memory.InMemoryRateLimitStore;
import io.pielock.store.memory.ReactiveInMemoryRateLimitStore;
import io.pielock.store.redis.ReactiveRedisRateLimitStore;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisRateLimitStore;
import io.pielock.web.reactive.RateLimitHeadersWebFilter;
import io.pielock.web.reactive.ReactiveRateLimitExceptionHandler;

/**
 * Reactive rate limiting, when Reactor is on the class path: a {@link ReactiveLimiter} (same
 * {@code pielock.limiter.fail-open}, same observer as the {@code Limiter}) over a {@link ReactiveRateLimitStore}
 * on the blocking limiter's storage (the same Redis through its {@link ReactiveRedisConnectionFactory}, or a
 * face of the same {@link InMemoryRateLimitStore}), so both count the same calls; and in WebFlux applications
 * HTTP 429 for exceeded limits and the {@code RateLimit} fields on answers to requests that {@code @RateLimited}
 * methods decided. With a rate limit store of the application's own there is no reactive store, hence no
 * {@code ReactiveLimiter}: {@code @RateLimited} methods returning {@code Mono} or {@code Flux} then fail the
 * startup, saying so. Every bean backs off when the application defines its own.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "reactor.core.publisher.Mono")
@Import({ ReactiveLimiterConfiguration.RedisStoreConfiguration.class,
        ReactiveLimiterConfiguration.MemoryStoreConfiguration.class,
        ReactiveLimiterConfiguration.WebFluxConfiguration.class })
class ReactiveLimiterConfiguration {

    /** Here, not in a nested class: the stores' configurations (nested, imported) are registered before it. */
    @Bean
    @ConditionalOnBean(ReactiveRateLimitStore.class)
    @ConditionalOnMissingBean
    ReactiveLimiter reactiveLimiter(PielockProperties properties, ReactiveRateLimitStore store,
            ObjectProvider<LimiterObserver> observer, ObjectProvider<LimitCatalog> limitCatalog) {
        ReactiveLimiter limiter = new ReactiveLimiter(store, properties.getLimiter().isFailOpen());
        observer.ifUnique(limiter::setObserver);
        limitCatalog.ifUnique(limiter::setCatalog);
        return limiter;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.data.redis.connection.ReactiveRedisConnectionFactory")
    @ConditionalOnProperty(name = "pielock.store", havingValue = "redis", matchIfMissing = true)
    @ConditionalOnBean(RedisRateLimitStore.class)
    @Conditional(ReactiveRedisAvailable.class)
    static class RedisStoreConfiguration {

        @Bean
        @ConditionalOnMissingBean(ReactiveRateLimitStore.class)
        ReactiveRedisRateLimitStore reactiveRateLimitStore(PielockProperties properties, RedisKeys keys,
                StoreConnection connection) {
            if (!(connection.factory() instanceof ReactiveRedisConnectionFactory reactive)) {
                throw new MissingRedisException("pielock's reactive rate limit store needs a "
                        + "ReactiveRedisConnectionFactory (Lettuce's is one), but the Redis connection factory is a "
                        + connection.factory().getClass().getName() + "; use Lettuce, or declare a "
                        + "ReactiveRateLimitStore bean");
            }
            return new ReactiveRedisRateLimitStore(reactive, keys, properties.getLimiter().isRememberDenials());
        }
    }

    /** pielock's own Redis connection (Lettuce), or the application's if it is reactive. */
    static class ReactiveRedisAvailable extends AnyNestedCondition {

        ReactiveRedisAvailable() {
            super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(name = "pielock.redis.host")
        static class OwnConnection {
        }

        @ConditionalOnBean(ReactiveRedisConnectionFactory.class)
        static class ReactiveConnectionFactory {
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "pielock.store", havingValue = "memory")
    @ConditionalOnBean(InMemoryRateLimitStore.class)
    static class MemoryStoreConfiguration {

        /** A face of the blocking limiter's store: one count for both. */
        @Bean
        @ConditionalOnMissingBean(ReactiveRateLimitStore.class)
        ReactiveInMemoryRateLimitStore reactiveRateLimitStore(InMemoryRateLimitStore store) {
            return new ReactiveInMemoryRateLimitStore(store);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
    static class WebFluxConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ReactiveRateLimitExceptionHandler pielockReactiveRateLimitExceptionHandler() {
            return new ReactiveRateLimitExceptionHandler();
        }

        /** Writes the {@code RateLimit} fields of the decisions made while a request was handled. */
        @Bean
        @ConditionalOnMissingBean
        RateLimitHeadersWebFilter pielockRateLimitHeadersWebFilter() {
            return new RateLimitHeadersWebFilter();
        }
    }
}
