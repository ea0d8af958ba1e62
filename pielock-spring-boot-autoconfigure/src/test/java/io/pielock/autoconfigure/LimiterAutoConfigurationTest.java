package io.pielock.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.DispatcherServlet;

import io.pielock.interceptor.RateLimitAdvisor;
import io.pielock.interceptor.RateLimitDecisionListener;
import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitAttempt;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.RateLimitStore;
import io.pielock.observation.LimiterObservations;
import io.pielock.observation.LockObservations;
import io.pielock.store.memory.InMemoryRateLimitStore;
import io.pielock.store.redis.RedisRateLimitStore;
import io.pielock.web.RateLimitExceptionHandler;
import io.pielock.web.RateLimitHeadersAdvice;

import static org.assertj.core.api.Assertions.assertThat;

/** Which rate limiting beans the auto-configuration creates, and when it backs off. */
class LimiterAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, PielockAutoConfiguration.class));

    @Test
    void redisStoreFailingClosedByDefault() {
        this.runner.run(context -> {
            assertThat(context).hasSingleBean(Limiter.class).hasSingleBean(RateLimitAdvisor.class);
            assertThat(context).getBean(RateLimitStore.class).isInstanceOf(RedisRateLimitStore.class);
            assertThat(context.getBean(Limiter.class).isFailOpen()).isFalse();
            assertThat(context.getBean(RateLimitAdvisor.class).getOrder())
                .isEqualTo(PielockProperties.Limiter.DEFAULT_ASPECT_ORDER)
                .isLessThan(PielockProperties.Lock.DEFAULT_ASPECT_ORDER);
        });
    }

    @Test
    void failOpenIsAChoice() {
        this.runner.withPropertyValues("pielock.limiter.fail-open=true")
            .run(context -> assertThat(context.getBean(Limiter.class).isFailOpen()).isTrue());
    }

    @Test
    void memoryStoreWhenChosen() {
        this.runner.withPropertyValues("pielock.store=memory")
            .run(context -> assertThat(context).getBean(RateLimitStore.class)
                .isInstanceOf(InMemoryRateLimitStore.class));
    }

    @Test
    void applicationsOwnStoreAndLimiterWin() {
        RateLimitStore own = new OwnStore();
        this.runner.withBean(RateLimitStore.class, () -> own).run(context -> {
            assertThat(context).getBean(RateLimitStore.class).isSameAs(own);
            assertThat(context).hasSingleBean(Limiter.class);
        });
        Limiter limiter = new Limiter(own);
        this.runner.withBean(Limiter.class, () -> limiter)
            .run(context -> assertThat(context).getBean(Limiter.class).isSameAs(limiter));
    }

    @Test
    void nothingWhenPielockIsDisabled() {
        this.runner.withPropertyValues("pielock.enabled=false")
            .run(context -> assertThat(context).doesNotHaveBean(Limiter.class)
                .doesNotHaveBean(RateLimitAdvisor.class)
                .doesNotHaveBean(RateLimitStore.class));
    }

    @Test
    void observersOnlyWithMicrometerAndTheOldFailOpenMeterIsGone() {
        this.runner.run(context -> assertThat(context).hasSingleBean(LimiterObservations.class)
            .hasSingleBean(LockObservations.class)
            .doesNotHaveBean("pielockLimiterMeters"));
        this.runner.withClassLoader(new FilteredClassLoader("io.micrometer"))
            .run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(LimiterObservations.class)
                .doesNotHaveBean(LockObservations.class)
                .hasSingleBean(Limiter.class));
    }

    @Test
    void httpExceptionHandlerOnlyInServletWebApplicationsWithSpringMvc() {
        WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, PielockAutoConfiguration.class));
        web.run(context -> assertThat(context).hasSingleBean(RateLimitExceptionHandler.class));
        web.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
            .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RateLimitExceptionHandler.class));
        this.runner.run(context -> assertThat(context).doesNotHaveBean(RateLimitExceptionHandler.class));
    }

    @Test
    void rateLimitHeadersOnlyInServletWebApplicationsWithSpringMvc() {
        WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, PielockAutoConfiguration.class));
        web.run(context -> assertThat(context).hasSingleBean(RateLimitHeadersAdvice.class)
            .hasSingleBean(RateLimitDecisionListener.class));
        web.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
            .run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(RateLimitHeadersAdvice.class)
                .doesNotHaveBean(RateLimitDecisionListener.class));
        this.runner.run(context -> assertThat(context).doesNotHaveBean(RateLimitHeadersAdvice.class)
            .doesNotHaveBean(RateLimitDecisionListener.class));
    }

    /** A store the application brings; never called here. */
    private static final class OwnStore implements RateLimitStore {

        @Override
        public LimitAttempt tryConsume(String key, List<Limit> limits) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void refund(String key, LimitAttempt recorded) {
            throw new UnsupportedOperationException();
        }
    }
}
