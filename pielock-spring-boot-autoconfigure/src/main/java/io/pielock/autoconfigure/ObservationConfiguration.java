package io.pielock.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.pielock.limiter.LimiterObserver;
import io.pielock.lock.LockObserver;
import io.pielock.observation.LimiterDecisionObservationConvention;
import io.pielock.observation.LimiterObservations;
import io.pielock.observation.LockAcquireObservationConvention;
import io.pielock.observation.LockHeldObservationConvention;
import io.pielock.observation.LockObservations;

/**
 * Micrometer instrumentation, when Micrometer is on the class path: observers for the template and the limiter,
 * reporting to the application's {@link ObservationRegistry} (with Actuator) and, through Spring Boot's binding of
 * {@code MeterBinder} beans, to its {@code MeterRegistry}. Without an {@code ObservationRegistry} bean they use
 * {@link ObservationRegistry#NOOP} and create nothing per call. Conventions declared as beans replace the defaults;
 * an application's own {@link LockObserver} or {@link LimiterObserver} replaces the observer.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = { "io.micrometer.observation.ObservationRegistry",
        "io.micrometer.core.instrument.MeterRegistry" })
class ObservationConfiguration {

    @Bean
    @ConditionalOnMissingBean(LockObserver.class)
    LockObservations pielockLockObservations(ObjectProvider<ObservationRegistry> registry,
            ObjectProvider<LockAcquireObservationConvention> acquireConvention,
            ObjectProvider<LockHeldObservationConvention> heldConvention) {
        LockObservations observations = new LockObservations(registry.getIfUnique(() -> ObservationRegistry.NOOP));
        observations.setAcquireConvention(acquireConvention.getIfUnique());
        observations.setHeldConvention(heldConvention.getIfUnique());
        return observations;
    }

    @Bean
    @ConditionalOnMissingBean(LimiterObserver.class)
    LimiterObservations pielockLimiterObservations(ObjectProvider<ObservationRegistry> registry,
            ObjectProvider<LimiterDecisionObservationConvention> convention) {
        LimiterObservations observations = new LimiterObservations(
                registry.getIfUnique(() -> ObservationRegistry.NOOP));
        observations.setConvention(convention.getIfUnique());
        return observations;
    }
}
