package io.pielock.autoconfigure;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pielock.autoconfigure.LockedBeans.KeyEcho;
import io.pielock.autoconfigure.LockedBeans.KeyFormatter;
import io.pielock.limiter.Limiter;
import io.pielock.lock.LockObserver;
import io.pielock.lock.LockTemplate;
import io.pielock.observation.DefaultLimiterDecisionObservationConvention;
import io.pielock.observation.LimiterDecisionContext;
import io.pielock.observation.LimiterDecisionObservationConvention;
import io.pielock.observation.LockObservations;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an {@code ObservationRegistry} bean, annotated methods and the templates are observed under the method's
 * name; conventions declared as beans replace the defaults; without Micrometer nothing changes.
 */
class ObservationAutoConfigurationTest {

    private final TestObservationRegistry observations = TestObservationRegistry.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, PielockAutoConfiguration.class))
        .withPropertyValues("pielock.store=memory")
        .withBean(ObservationRegistry.class, () -> this.observations)
        .withBean(KeyEcho.class)
        .withBean("keyFormatter", KeyFormatter.class)
        .withBean(RateLimitedCalls.class);

    @Test
    void aLockedMethodIsObservedUnderItsClassAndMethodNameWithItsKeyOnlyInTheHighCardinalityValues() {
        this.runner.run(context -> {
            context.getBean(KeyEcho.class).literally("user:alice");
            assertThat(this.observations).hasObservationWithNameEqualTo("pielock.lock.acquire")
                .that()
                .hasLowCardinalityKeyValue("name", "KeyEcho.literally")
                .hasLowCardinalityKeyValue("outcome", "acquired")
                .hasLowCardinalityKeyValue("store", "memory")
                .hasHighCardinalityKeyValue("key", "user:alice")
                .doesNotHaveLowCardinalityKeyValueWithKey("key");
            assertThat(this.observations).hasObservationWithNameEqualTo("pielock.lock.held")
                .that()
                .hasLowCardinalityKeyValue("name", "KeyEcho.literally")
                .hasLowCardinalityKeyValue("released", "released");
        });
    }

    @Test
    void aRateLimitedMethodIsObservedUnderItsClassAndMethodName() {
        this.runner.run(context -> {
            RateLimitedCalls api = context.getBean(RateLimitedCalls.class);
            api.call("bob");
            api.call("bob");
            assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("pielock.limiter.decision", 2)
                .forAllObservationsWithNameEqualTo("pielock.limiter.decision",
                        o -> o.hasLowCardinalityKeyValue("name", "RateLimitedCalls.call")
                            .hasHighCardinalityKeyValue("key", "user:bob")
                            .doesNotHaveLowCardinalityKeyValueWithKey("key"))
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("outcome", "allowed"))
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("outcome", "denied"));
        });
    }

    @Test
    void theTemplatesMetersAreBoundByTheMeterBinderBean() {
        this.runner.run(context -> {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            context.getBean(LockObservations.class).bindTo(meters);
            context.getBean(LockTemplate.class).run("k", () -> assertThat(
                    meters.get("pielock.lock.held.active").gauge().value()).isEqualTo(1));
            assertThat(meters.get("pielock.lock.held.active").gauge().value()).isZero();
        });
    }

    @Test
    void aConventionBeanReplacesTheDefault() {
        LimiterDecisionObservationConvention own = new DefaultLimiterDecisionObservationConvention() {
            @Override
            public KeyValues getLowCardinalityKeyValues(LimiterDecisionContext context) {
                return super.getLowCardinalityKeyValues(context).and("team", "search");
            }
        };
        this.runner.withBean(LimiterDecisionObservationConvention.class, () -> own).run(context -> {
            context.getBean(Limiter.class).allow("k", io.pielock.limiter.TimeUnit.SECOND, 1);
            assertThat(this.observations).hasObservationWithNameEqualTo("pielock.limiter.decision")
                .that()
                .hasLowCardinalityKeyValue("team", "search");
        });
    }

    @Test
    void anApplicationsOwnObserverReplacesPielocks() {
        LockObserver own = new LockObserver() {
        };
        this.runner.withBean(LockObserver.class, () -> own).run(context -> {
            assertThat(context).doesNotHaveBean(LockObservations.class);
            context.getBean(LockTemplate.class).run("k", () -> { });
            assertThat(this.observations).doesNotHaveAnyObservation();
        });
    }

    @Test
    void withoutAnObservationRegistryOrWithoutMicrometerLocksAndLimitsWorkUnobserved() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, PielockAutoConfiguration.class))
            .withPropertyValues("pielock.store=memory")
            .withBean(KeyEcho.class)
            .withBean("keyFormatter", KeyFormatter.class)
            .run(context -> {
                assertThat(context).hasSingleBean(LockObservations.class).doesNotHaveBean(MeterRegistry.class);
                assertThat(context.getBean(KeyEcho.class).literally("x")).isEqualTo("x");
            });
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, PielockAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader("io.micrometer"))
            .withPropertyValues("pielock.store=memory")
            .withBean(RateLimitedCalls.class)
            .run(context -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(LockObservations.class);
                assertThat(context.getBean(RateLimitedCalls.class).call("x")).isEqualTo("served x");
                assertThat(context.getBean(LockTemplate.class).execute("x", () -> "locked")).isEqualTo("locked");
            });
    }
}
