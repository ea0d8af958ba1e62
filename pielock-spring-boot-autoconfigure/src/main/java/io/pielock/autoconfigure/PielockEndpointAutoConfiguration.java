package io.pielock.autoconfigure;

import java.util.List;
import java.util.function.Supplier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

import io.pielock.actuate.AnnotatedMethods;
import io.pielock.actuate.HttpRuleDescriptors;
import io.pielock.actuate.PielockEndpoint;
import io.pielock.actuate.PielockEndpoint.HttpRuleDescriptor;
import io.pielock.actuate.PielockEndpointWebExtension;
import io.pielock.interceptor.LockOperationSource;
import io.pielock.interceptor.RateLimitOperationSource;
import io.pielock.limiter.Limiter;
import io.pielock.lock.LockStore;
import io.pielock.lock.LockTemplate;

/**
 * The {@code pielock} actuator endpoint, when Boot's actuator is on the class path and the endpoint is available
 * (enabled and exposed: {@code management.endpoints.web.exposure.include=pielock}). Without the actuator nothing
 * here is loaded: the conditions that name actuator classes sit on a nested class, read only once the actuator is
 * known to be there.
 */
@AutoConfiguration(after = PielockAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
public final class PielockEndpointAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(PielockEndpoint.class)
    @ConditionalOnBean({ LockTemplate.class, LockStore.class, Limiter.class })
    @EnableConfigurationProperties(PielockEndpointProperties.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        PielockEndpoint pielockEndpoint(LockTemplate lockTemplate, LockStore lockStore, Limiter limiter,
                ConfigurableListableBeanFactory beanFactory, ObjectProvider<LockOperationSource> lockOperations,
                ObjectProvider<RateLimitOperationSource> rateLimitOperations,
                ObjectProvider<SanitizingFunction> sanitizingFunctions, PielockEndpointProperties properties) {
            AnnotatedMethods methods = new AnnotatedMethods(beanFactory, lockOperations.getIfUnique(),
                    rateLimitOperations.getIfUnique());
            // the HTTP rules need Spring Web, which an actuator application (JMX only) may not have
            Supplier<List<HttpRuleDescriptor>> httpRules = ClassUtils.isPresent(
                    "org.springframework.web.util.pattern.PathPattern", beanFactory.getBeanClassLoader())
                            ? HttpRuleDescriptors.of(beanFactory) : List::of;
            return new PielockEndpoint(lockTemplate, lockStore, limiter, methods,
                    sanitizingFunctions.orderedStream().toList(), properties.getShowValues(), httpRules);
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(PielockEndpoint.class)
        @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
        PielockEndpointWebExtension pielockEndpointWebExtension(PielockEndpoint endpoint,
                PielockEndpointProperties properties) {
            return new PielockEndpointWebExtension(endpoint, properties.getShowValues(), properties.getRoles());
        }
    }
}
