package io.pielock.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.util.function.SingletonSupplier;

import io.pielock.interceptor.KeyExpressions;
import io.pielock.interceptor.RateLimitAdvisor;
import io.pielock.interceptor.RateLimitInterceptor;
import io.pielock.interceptor.RateLimitOperationSource;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.LimiterObserver;
import io.pielock.limiter.RateLimitStore;
import io.pielock.web.RateLimitExceptionHandler;

/**
 * Rate limiting: a {@link Limiter} over the configured {@link RateLimitStore} (observed by the application's
 * {@link LimiterObserver}, if any: {@link ObservationConfiguration}), the {@code @RateLimited} advice, and HTTP 429
 * for exceeded limits in Spring MVC applications. Every bean backs off when the application defines its own.
 */
@Configuration(proxyBeanMethods = false)
@Import({ LimiterConfiguration.RateLimitAnnotationConfiguration.class, LimiterConfiguration.WebMvcConfiguration.class })
class LimiterConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Limiter limiter(PielockProperties properties, RateLimitStore rateLimitStore,
            ObjectProvider<LimiterObserver> observer) {
        Limiter limiter = new Limiter(rateLimitStore, properties.getLimiter().isFailOpen());
        observer.ifUnique(limiter::setObserver);
        return limiter;
    }

    @Configuration(proxyBeanMethods = false)
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static class RateLimitAnnotationConfiguration {

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        @ConditionalOnMissingBean
        static RateLimitOperationSource pielockRateLimitOperationSource(ConfigurableBeanFactory beanFactory) {
            return new RateLimitOperationSource(new EmbeddedValueResolver(beanFactory));
        }

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        @ConditionalOnMissingBean
        static RateLimitInterceptor pielockRateLimitInterceptor(RateLimitOperationSource operations,
                KeyExpressions keys, ObjectProvider<Limiter> limiter) {
            return new RateLimitInterceptor(operations, keys, SingletonSupplier.of(limiter::getObject));
        }

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        @ConditionalOnMissingBean
        static RateLimitAdvisor pielockRateLimitAdvisor(RateLimitOperationSource operations,
                RateLimitInterceptor interceptor, Environment environment) {
            int order = PielockProperties.aspectOrder(environment, "pielock.limiter.aspect-order", PielockProperties.Limiter.DEFAULT_ASPECT_ORDER);
            return new RateLimitAdvisor(operations, interceptor, order);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
    static class WebMvcConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RateLimitExceptionHandler pielockRateLimitExceptionHandler() {
            return new RateLimitExceptionHandler();
        }
    }
}
