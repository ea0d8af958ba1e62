package io.pielock.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pielock.actuate.PielockEndpoint;
import io.pielock.actuate.PielockEndpointWebExtension;
import io.pielock.actuate.PielockRedisHealthIndicator;
import io.pielock.lock.LockTemplate;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** When the pielock endpoint and health indicator exist: only with Boot's actuator, and only when asked for. */
class PielockEndpointAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PielockAutoConfiguration.class, EndpointAutoConfiguration.class,
                HealthContributorAutoConfiguration.class, PielockEndpointAutoConfiguration.class,
                PielockHealthContributorAutoConfiguration.class))
        .withPropertyValues("pielock.store=memory");

    @Test
    void theEndpointExistsWhenExposed() {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=pielock")
            .run(context -> assertThat(context).hasSingleBean(PielockEndpoint.class)
                .hasSingleBean(PielockEndpointWebExtension.class));
    }

    @Test
    void theEndpointDoesNotExistWhenNotExposed() {
        this.runner.run(context -> assertThat(context).doesNotHaveBean(PielockEndpoint.class));
    }

    @Test
    void theEndpointDoesNotExistWhenDisabled() {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=pielock",
                "management.endpoint.pielock.access=NONE")
            .run(context -> assertThat(context).doesNotHaveBean(PielockEndpoint.class));
    }

    @Test
    void withoutTheActuatorOnTheClassPathPielockStartsAndNothingElseChanges() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PielockAutoConfiguration.class,
                    PielockEndpointAutoConfiguration.class, PielockHealthContributorAutoConfiguration.class))
            .withPropertyValues("pielock.store=memory", "management.endpoints.web.exposure.include=pielock")
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
                    "org.springframework.boot.health"))
            .run(context -> {
                assertThat(context).hasNotFailed().hasSingleBean(LockTemplate.class);
                assertThat(context).doesNotHaveBean(PielockEndpoint.class)
                    .doesNotHaveBean(PielockRedisHealthIndicator.class);
            });
    }

    @Test
    void theHealthIndicatorExistsForADedicatedConnectionOnly() {
        ApplicationContextRunner redis = this.runner.withPropertyValues("pielock.store=redis");
        redis.withPropertyValues("pielock.redis.host=" + TestRedis.endpoint().host(),
                "pielock.redis.port=" + TestRedis.endpoint().port())
            .run(context -> assertThat(context).hasSingleBean(PielockRedisHealthIndicator.class)
                .hasBean("pielockHealthIndicator"));
        this.runner.run(context -> assertThat(context).doesNotHaveBean(PielockRedisHealthIndicator.class));
    }

    @Test
    void theHealthIndicatorCanBeSwitchedOff() {
        this.runner.withPropertyValues("pielock.store=redis", "pielock.redis.host=" + TestRedis.endpoint().host(),
                "pielock.redis.port=" + TestRedis.endpoint().port(), "management.health.pielock.enabled=false")
            .run(context -> assertThat(context).doesNotHaveBean(PielockRedisHealthIndicator.class));
    }
}
