package io.pielock.autoconfigure;

import java.util.function.Supplier;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

import io.pielock.interceptor.DistributedLockAdvisor;
import io.pielock.interceptor.DistributedLockInterceptor;
import io.pielock.interceptor.KeyExpressions;
import io.pielock.interceptor.LockOperationSource;
import io.pielock.interceptor.UninterceptableMethods;
import io.pielock.lock.LockObserver;
import io.pielock.lock.LockStore;
import io.pielock.lock.LockTemplate;
import io.pielock.lock.ReactiveLockTemplate;

/**
 * Auto-configuration for pielock: a {@link LockTemplate} over the configured store (observed by the application's
 * {@link LockObserver}, if any: {@link ObservationConfiguration}), and the {@code @DistributedLocked} advice. Every
 * bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnBooleanProperty(name = "pielock.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PielockProperties.class)
@Import({ StoreConfigurations.RedisStoreConfiguration.class, StoreConfigurations.MemoryStoreConfiguration.class,
        StoreConfigurations.NoRedisOnClasspathConfiguration.class,
        PielockAutoConfiguration.LockAnnotationConfiguration.class, LimiterConfiguration.class,
        ObservationConfiguration.class, ReactiveLockConfiguration.class, ReactiveLimiterConfiguration.class,
        HttpRulesConfiguration.class })
public final class PielockAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LockTemplate lockTemplate(PielockProperties properties, LockStore lockStore, Environment environment,
            ObjectProvider<LockObserver> observer) {
        LockTemplate template = new LockTemplate(lockStore, properties.getLock().toOptions(environment));
        observer.ifUnique(template::setObserver);
        return template;
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static KeyExpressions pielockKeyExpressions(ConfigurableBeanFactory beanFactory) {
        return new KeyExpressions(beanFactory);
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static UninterceptableMethods pielockUninterceptableMethods() {
        return new UninterceptableMethods();
    }

    @Configuration(proxyBeanMethods = false)
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static class LockAnnotationConfiguration {

        private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Mono",
                LockAnnotationConfiguration.class.getClassLoader());

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        @ConditionalOnMissingBean
        static LockOperationSource pielockLockOperationSource(ConfigurableBeanFactory beanFactory) {
            return new LockOperationSource(new EmbeddedValueResolver(beanFactory));
        }

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        @ConditionalOnMissingBean
        static DistributedLockInterceptor pielockLockInterceptor(LockOperationSource operations,
                KeyExpressions keys, ObjectProvider<LockTemplate> lockTemplate, BeanFactory beanFactory) {
            return new DistributedLockInterceptor(operations, keys, SingletonSupplier.of(lockTemplate::getObject),
                    REACTOR_PRESENT ? ReactiveTemplate.lookedUpOnFirstUse(beanFactory) : null);
        }

        /**
         * Fails the startup when an annotated method returns a {@code Mono}, {@code Flux} or
         * {@code CompletionStage} but no {@link ReactiveLockTemplate} can be had (for example a Redis connection
         * factory that is not reactive), instead of failing its first call.
         */
        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static SmartInitializingSingleton pielockReactiveLockTemplateCheck(LockOperationSource operations,
                BeanFactory beanFactory) {
            return () -> {
                String method = operations.asynchronousMethod();
                if (method != null && REACTOR_PRESENT) {
                    ReactiveTemplate.requireAvailable(beanFactory, method);
                }
            };
        }

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        @ConditionalOnMissingBean
        static DistributedLockAdvisor pielockLockAdvisor(LockOperationSource operations,
                DistributedLockInterceptor interceptor, Environment environment) {
            int order = PielockProperties.aspectOrder(environment, "pielock.lock.aspect-order", PielockProperties.Lock.DEFAULT_ASPECT_ORDER);
            return new DistributedLockAdvisor(operations, interceptor, order);
        }
    }

    /** Names {@link ReactiveLockTemplate} only once Reactor is known to be present. */
    private static final class ReactiveTemplate implements Supplier<ReactiveLockTemplate> {

        private final ObjectProvider<ReactiveLockTemplate> provider;

        private volatile ReactiveLockTemplate template;

        private ReactiveTemplate(ObjectProvider<ReactiveLockTemplate> provider) {
            this.provider = provider;
        }

        static void requireAvailable(BeanFactory beanFactory, String method) {
            if (beanFactory.getBeanProvider(ReactiveLockTemplate.class).getIfAvailable() == null) {
                throw new IllegalStateException("@DistributedLocked on " + method + " needs a ReactiveLockTemplate to "
                        + "hold the lock until its asynchronous result completes, but there is none: pielock "
                        + "creates one for pielock.store=memory and for a Redis connection factory that is a "
                        + "ReactiveRedisConnectionFactory (Lettuce, Spring Boot's default), not for a LockStore of "
                        + "the application's own; use Lettuce, or define a ReactiveLockStore or ReactiveLockTemplate "
                        + "bean");
            }
        }

        static Supplier<ReactiveLockTemplate> lookedUpOnFirstUse(BeanFactory beanFactory) {
            return new ReactiveTemplate(beanFactory.getBeanProvider(ReactiveLockTemplate.class));
        }

        /**
         * Without a lock, unlike {@link SingletonSupplier}: the first calls may come at once from event loops,
         * where waiting for a lock would block; looking the singleton up twice is harmless.
         */
        @Override
        public ReactiveLockTemplate get() {
            ReactiveLockTemplate current = this.template;
            if (current == null) {
                current = this.provider.getObject();
                this.template = current;
            }
            return current;
        }
    }
}
