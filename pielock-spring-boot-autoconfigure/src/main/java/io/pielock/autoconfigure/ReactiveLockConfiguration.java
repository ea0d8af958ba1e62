package io.pielock.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.pielock.lock.LockObserver;
import io.pielock.lock.ReactiveLockStore;
import io.pielock.lock.ReactiveLockTemplate;
import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.store.memory.InMemoryReactiveLockStore;
import io.pielock.store.redis.ReactiveRedisLockStore;
import io.pielock.store.redis.RedisLockStore;

/**
 * The reactive lock, when Reactor is on the class path: a {@link ReactiveLockStore} that is the reactive face of
 * the blocking {@code LockStore} bean (the same Redis keys and release subscriptions, or the same in-memory
 * state), so blocking and reactive callers exclude each other; and a {@link ReactiveLockTemplate} with the
 * blocking template's defaults ({@code pielock.lock.*}) and observer. Every bean backs off when the application
 * defines its own; an application's own {@code LockStore} of another kind gets no reactive store (define one).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "reactor.core.publisher.Mono")
class ReactiveLockConfiguration {

    /**
     * After the stores (nested configurations are registered before this class's own beans). Closed, its renewal
     * timers cancelled, when the context closes ({@code AutoCloseable}).
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ReactiveLockStore.class)
    ReactiveLockTemplate reactiveLockTemplate(PielockProperties properties, ReactiveLockStore reactiveLockStore,
            Environment environment, ObjectProvider<LockObserver> observer) {
        ReactiveLockTemplate template = new ReactiveLockTemplate(reactiveLockStore,
                properties.getLock().toOptions(environment));
        observer.ifUnique(template::setObserver);
        return template;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.data.redis.connection.ReactiveRedisConnectionFactory")
    @ConditionalOnProperty(name = "pielock.store", havingValue = "redis", matchIfMissing = true)
    static class RedisReactiveStoreConfiguration {

        /** The face of the blocking store on the same connection factory (Lettuce's is reactive too). */
        @Bean
        @ConditionalOnMissingBean(ReactiveLockStore.class)
        @ConditionalOnBean(RedisLockStore.class)
        ReactiveRedisLockStore reactiveLockStore(RedisLockStore lockStore,
                ObjectProvider<StoreConfigurations.StoreConnection> connection) {
            RedisConnectionFactory factory = connection.getObject().factory();
            if (!(factory instanceof ReactiveRedisConnectionFactory reactive)) {
                throw new MissingRedisException("pielock's ReactiveLockTemplate needs a ReactiveRedisConnectionFactory "
                        + "(Lettuce), but pielock's Redis connection factory is a " + factory.getClass().getName()
                        + ": use Lettuce, or define a ReactiveLockStore bean of your own");
            }
            return new ReactiveRedisLockStore(reactive, lockStore);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "pielock.store", havingValue = "memory")
    static class MemoryReactiveStoreConfiguration {

        /** The face of the same in-memory store, so blocking and reactive callers share its locks. */
        @Bean
        @ConditionalOnMissingBean(ReactiveLockStore.class)
        @ConditionalOnBean(InMemoryLockStore.class)
        InMemoryReactiveLockStore reactiveLockStore(InMemoryLockStore lockStore) {
            return new InMemoryReactiveLockStore(lockStore);
        }
    }
}
