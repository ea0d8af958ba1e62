package io.pielock.autoconfigure;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import io.pielock.annotation.RateLimited;
import io.pielock.limiter.LimitResult;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.RateLimitExceededException;
import io.pielock.limiter.TimeUnit;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Named limits ({@code pielock.limiter.limits.<name>}) in a real application context over a real Redis. */
class NamedLimitsTest {

    private final String prefix = "test-" + UUID.randomUUID() + ":";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, AopAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withPropertyValues(TestRedis.endpoint().springProperties())
        .withPropertyValues("pielock.key-prefix=" + this.prefix, "pielock.limiter.limits.free=1/1m",
                "pielock.limiter.limits.pro=3/1m, 100/1h")
        .withBean(Plans.class);

    @Test
    void eachCallerIsLimitedByThePlanItsExpressionNames() {
        this.runner.run(context -> {
            Plans plans = context.getBean(Plans.class);
            plans.report("ann", "free");
            assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> plans.report("ann", "free"))
                .satisfies(ex -> assertThat(ex.getLimit().count()).isEqualTo(1));
            for (int i = 0; i < 3; i++) {
                plans.report("bob", "pro");
            }
            assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> plans.report("bob", "pro"));
        });
    }

    @Test
    void aLimitNamedLiterallyAndLimiterAllowByNameUseTheConfiguredWindows() {
        this.runner.run(context -> {
            Plans plans = context.getBean(Plans.class);
            plans.free("cal");
            assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> plans.free("cal"));

            Limiter limiter = context.getBean(Limiter.class);
            LimitResult first = limiter.allow("code:dee", "pro");
            assertThat(first.allowed()).isTrue();
            assertThat(first.remaining()).as("the tightest of 3/1m and 100/1h").isEqualTo(2);
        });
    }

    @Test
    void anUnknownNameIsAnErrorNamingTheMethodAndTheKnownNames() {
        this.runner.run(context -> {
            Plans plans = context.getBean(Plans.class);
            assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> plans.report("eve", "gold"))
                .withMessage("Unknown named rate limit 'gold' (limit = \"#plan\") of " + Plans.class.getName()
                        + ".report(String, String) for key: eve; known names: [free, pro]"
                        + " (pielock.limiter.limits.<name>)");
            assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> context.getBean(Limiter.class).allow("eve", "gold"))
                .withMessageContaining("Unknown named rate limit 'gold' for key: eve; known names: [free, pro]");
        });
    }

    @Test
    void aChangedDefinitionInTheEnvironmentAppliesFromTheNextCallWithoutARestart() {
        this.runner.run(context -> {
            Plans plans = context.getBean(Plans.class);
            plans.report("fay", "free");
            assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> plans.report("fay", "free"));

            ConfigurableEnvironment environment = (ConfigurableEnvironment) context.getEnvironment();
            environment.getPropertySources().addFirst(new MapPropertySource("changed",
                    Map.of("pielock.limiter.limits.free", "3/1m", "pielock.limiter.limits.gold", "5/1m")));
            plans.report("fay", "free");
            plans.report("fay", "free");
            assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> plans.report("fay", "free"))
                .satisfies(ex -> assertThat(ex.getLimit().count()).isEqualTo(3));
            assertThat(plans.report("gus", "gold")).as("a name added at run time").isEqualTo("report for gus");
        });
    }

    @Test
    void anInvalidDefinitionFailsAtStartupNamingTheProperty() {
        this.runner.withPropertyValues("pielock.limiter.limits.broken=5 per second").run(context -> {
            assertThat(context).hasFailed();
            assertThat(Causes.find(context.getStartupFailure(), InvalidPielockPropertyException.class))
                .hasMessageContaining("pielock.limiter.limits.broken")
                .hasMessageContaining("'5 per second' is not 'count/window'");
        });
    }

    @Test
    void aLimitWithBothANameAndACountOrWithNeitherFailsAtStartupNamingTheMethod() {
        this.runner.withBean(Both.class).run(context -> assertThat(context.getStartupFailure())
            .rootCause().hasMessageContaining("give one: a named limit, or count per window"));
        this.runner.withBean(Neither.class).run(context -> assertThat(context.getStartupFailure())
            .rootCause().hasMessageContaining("gives neither count"));
    }

    public static class Plans {

        @RateLimited(key = "#user", limit = "#plan")
        public String report(String user, String plan) {
            return "report for " + user;
        }

        @RateLimited(key = "'literal:' + #user", limit = "free")
        public String free(String user) {
            return "free for " + user;
        }
    }

    public static class Both {

        @RateLimited(key = "#user", limit = "free", count = 5, per = TimeUnit.MINUTE)
        public void call(String user) {
        }
    }

    public static class Neither {

        @RateLimited(key = "#user")
        public void call(String user) {
        }
    }
}
