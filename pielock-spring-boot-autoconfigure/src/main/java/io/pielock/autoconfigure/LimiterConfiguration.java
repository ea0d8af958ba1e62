package io.pielock.autoconfigure;

import java.util.List;

import org.springframework.beans.factory.ListableBeanFactory;
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
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.pielock.interceptor.KeyExpressions;
import io.pielock.interceptor.RateLimitAdvisor;
import io.pielock.interceptor.RateLimitDecisionListener;
import io.pielock.interceptor.RateLimitInterceptor;
import io.pielock.interceptor.RateLimitOperationSource;
import io.pielock.limiter.LimitCatalog;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.LimiterObserver;
import io.pielock.limiter.RateLimitStore;
import io.pielock.limiter.ReactiveLimiter;
import io.pielock.web.RateLimitExceptionHandler;
import io.pielock.web.RateLimitHeadersAdvice;
import io.pielock.web.RequestRateLimit;

/**
 * Rate limiting: a {@link Limiter} over the configured {@link RateLimitStore} (observed by the application's
 * {@link LimiterObserver}, if any: {@link ObservationConfiguration}), the {@code @RateLimited} advice, and in
 * Spring MVC applications HTTP 429 for exceeded limits and the {@code RateLimit} fields on answers to requests
 * that {@code @RateLimited} methods decided. Every bean backs off when the application defines its own.
 */
@Configuration(proxyBeanMethods = false)
@Import({ LimiterConfiguration.RateLimitAnnotationConfiguration.class, LimiterConfiguration.WebMvcConfiguration.class })
class LimiterConfiguration {

    private static final String REACTOR = "reactor.core.publisher.Mono";

    @Bean
    @ConditionalOnMissingBean
    Limiter limiter(PielockProperties properties, RateLimitStore rateLimitStore,
            ObjectProvider<LimiterObserver> observer, LimitCatalog limitCatalog) {
        Limiter limiter = new Limiter(rateLimitStore, properties.getLimiter().isFailOpen());
        observer.ifUnique(limiter::setObserver);
        limiter.setCatalog(limitCatalog);
        return limiter;
    }

    /** The named limits of {@code pielock.limiter.limits}, validated now, looked up in the Environment per call. */
    @Bean
    @ConditionalOnMissingBean
    LimitCatalog pielockLimitCatalog(PielockProperties properties, Environment environment) {
        EnvironmentLimitCatalog.validate(properties.getLimiter().getLimits());
        return new EnvironmentLimitCatalog(environment);
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
                KeyExpressions keys, ObjectProvider<Limiter> limiter,
                ObjectProvider<RateLimitDecisionListener> listeners, ListableBeanFactory beanFactory) {
            return new RateLimitInterceptor(operations, keys, SingletonSupplier.of(limiter::getObject),
                    SingletonSupplier.of(() -> (ReactiveLimiter) reactiveLimiter(beanFactory)),
                    SingletonSupplier.of(() -> allOf(listeners.orderedStream().toList())));
        }

        /**
         * @return the application's {@link ReactiveLimiter}, or {@code null} without one (or without Reactor, when
         *         the type is not even looked up: no {@code Mono} method can exist then); typed {@code Object} so
         *         that reading this class's methods never loads a class that needs Reactor
         */
        private static Object reactiveLimiter(ListableBeanFactory beanFactory) {
            if (!ClassUtils.isPresent(REACTOR, LimiterConfiguration.class.getClassLoader())) {
                return null;
            }
            return beanFactory.getBeanProvider(ReactiveLimiter.class).getIfUnique();
        }

        /** One listener that tells each of them, in order; {@link RateLimitDecisionListener#NONE} for none. */
        private static RateLimitDecisionListener allOf(List<RateLimitDecisionListener> listeners) {
            if (listeners.isEmpty()) {
                return RateLimitDecisionListener.NONE;
            }
            if (listeners.size() == 1) {
                return listeners.get(0);
            }
            return result -> listeners.forEach(listener -> listener.decided(result));
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

        /** Keeps each {@code @RateLimited} decision made on a request's thread for that request's response. */
        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        @ConditionalOnMissingBean(name = "pielockRequestRateLimitRecorder")
        static RateLimitDecisionListener pielockRequestRateLimitRecorder() {
            return RequestRateLimit::record;
        }

        @Bean
        @ConditionalOnMissingBean
        RateLimitHeadersAdvice pielockRateLimitHeadersAdvice() {
            return new RateLimitHeadersAdvice();
        }

        /** Registers the advice's {@code postHandle}, which writes the fields of answers without a body. */
        @Bean
        WebMvcConfigurer pielockRateLimitHeadersConfigurer(ObjectProvider<RateLimitHeadersAdvice> advice) {
            return new WebMvcConfigurer() {

                @Override
                public void addInterceptors(InterceptorRegistry registry) {
                    advice.ifAvailable(registry::addInterceptor);
                }
            };
        }
    }
}
