package io.pielock.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import io.pielock.limiter.KeyedLimits;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.LimiterObserver;
import io.pielock.limiter.RateLimitStore;
import io.pielock.limiter.ReactiveLimiter;
import io.pielock.limiter.ReactiveRateLimitStore;
import io.pielock.limiter.TimeUnit;
import io.pielock.store.memory.InMemoryRateLimitStore;
import io.pielock.store.memory.ReactiveInMemoryRateLimitStore;
import io.pielock.store.redis.ReactiveRedisRateLimitStore;
import io.pielock.web.RateLimitExceptionHandler;
import io.pielock.web.RateLimitHeadersAdvice;
import io.pielock.web.reactive.RateLimitHeadersWebFilter;
import io.pielock.web.reactive.ReactiveRateLimitExceptionHandler;

import static org.assertj.core.api.Assertions.assertThat;

/** Which reactive rate limiting beans the auto-configuration creates, and when it backs off. */
class ReactiveLimiterAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, PielockAutoConfiguration.class));

    @Test
    void onRedisAReactiveStoreOnTheSameRedisFailingClosedByDefault() {
        this.runner.run(context -> {
            assertThat(context).hasSingleBean(ReactiveLimiter.class);
            assertThat(context).getBean(ReactiveRateLimitStore.class).isInstanceOf(ReactiveRedisRateLimitStore.class);
            assertThat(context.getBean(ReactiveLimiter.class).isFailOpen()).isFalse();
        });
    }

    @Test
    void failOpenIsTheBlockingLimitersChoice() {
        this.runner.withPropertyValues("pielock.limiter.fail-open=true")
            .run(context -> assertThat(context.getBean(ReactiveLimiter.class).isFailOpen()).isTrue());
    }

    @Test
    void onTheMemoryStoreAFaceOfTheBlockingLimitersStore() {
        this.runner.withPropertyValues("pielock.store=memory").run(context -> {
            assertThat(context).getBean(ReactiveRateLimitStore.class)
                .isInstanceOf(ReactiveInMemoryRateLimitStore.class);
            assertThat(context.getBean(ReactiveInMemoryRateLimitStore.class).getStore())
                .isSameAs(context.getBean(InMemoryRateLimitStore.class));
            context.getBean(Limiter.class).allow("shared", TimeUnit.MINUTE, 2);
            assertThat(context.getBean(ReactiveLimiter.class).allow("shared", TimeUnit.MINUTE, 2).block().remaining())
                .isZero();
        });
    }

    @Test
    void theLimitersObserverObservesReactiveDecisionsToo() {
        List<String> observed = new ArrayList<>();
        LimiterObserver observer = new LimiterObserver() {

            @Override
            public Decision decisionStarted(RateLimitStore store, List<KeyedLimits> keys, String name) {
                observed.add("blocking " + name);
                return Decision.NONE;
            }

            @Override
            public Decision decisionStarted(ReactiveRateLimitStore store, List<KeyedLimits> keys, String name) {
                observed.add("reactive " + name);
                return Decision.NONE;
            }
        };
        this.runner.withPropertyValues("pielock.store=memory")
            .withBean(LimiterObserver.class, () -> observer)
            .run(context -> {
                context.getBean(Limiter.class).allow("k", TimeUnit.MINUTE, 2, "one");
                context.getBean(ReactiveLimiter.class).allow("k", TimeUnit.MINUTE, 2, "two").block();
                assertThat(observed).containsExactly("blocking one", "reactive two");
            });
    }

    @Test
    void noReactiveLimiterWithAStoreOfTheApplicationsOwnOrWithoutReactor() {
        this.runner.withBean(RateLimitStore.class, InMemoryRateLimitStore::new)
            .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ReactiveLimiter.class)
                .doesNotHaveBean(ReactiveRateLimitStore.class));
        this.runner.withClassLoader(new FilteredClassLoader("reactor.core"))
            .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Limiter.class)
                .doesNotHaveBean(ReactiveLimiter.class));
    }

    @Test
    void applicationsOwnReactiveStoreAndLimiterWin() {
        ReactiveRateLimitStore own = new ReactiveInMemoryRateLimitStore(new InMemoryRateLimitStore());
        this.runner.withBean(ReactiveRateLimitStore.class, () -> own).run(context -> {
            assertThat(context).getBean(ReactiveRateLimitStore.class).isSameAs(own);
            assertThat(context.getBean(ReactiveLimiter.class).getStore()).isSameAs(own);
        });
        ReactiveLimiter limiter = new ReactiveLimiter(own);
        this.runner.withBean(ReactiveLimiter.class, () -> limiter)
            .run(context -> assertThat(context).getBean(ReactiveLimiter.class).isSameAs(limiter));
    }

    @Test
    void webFluxAnswersOnlyInReactiveWebApplicationsAndSpringMvcsOnlyInServletOnes() {
        new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, PielockAutoConfiguration.class))
            .run(context -> assertThat(context).hasSingleBean(ReactiveRateLimitExceptionHandler.class)
                .hasSingleBean(RateLimitHeadersWebFilter.class)
                .doesNotHaveBean(RateLimitExceptionHandler.class)
                .doesNotHaveBean(RateLimitHeadersAdvice.class));
        new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, PielockAutoConfiguration.class))
            .run(context -> assertThat(context).hasSingleBean(RateLimitExceptionHandler.class)
                .hasSingleBean(RateLimitHeadersAdvice.class)
                .doesNotHaveBean(ReactiveRateLimitExceptionHandler.class)
                .doesNotHaveBean(RateLimitHeadersWebFilter.class));
        this.runner.run(context -> assertThat(context).doesNotHaveBean(ReactiveRateLimitExceptionHandler.class)
            .doesNotHaveBean(RateLimitHeadersWebFilter.class));
    }
}
