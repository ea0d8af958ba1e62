package io.pielock.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.interceptor.DistributedLockAdvisor;
import io.pielock.lock.LockStore;
import io.pielock.lock.LockTemplate;
import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** Which beans pielock's auto-configuration creates, and when it backs off or refuses to start. */
class PielockAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withPropertyValues(TestRedis.endpoint().springProperties());

    @Test
    void redisStoreIsTheDefaultAndUsesTheApplicationsConnectionFactory() {
        this.runner.run(context -> {
            assertThat(context).hasSingleBean(LockTemplate.class).hasSingleBean(DistributedLockAdvisor.class);
            assertThat(context.getBean(LockStore.class)).isInstanceOf(RedisLockStore.class);
            assertThat(context).doesNotHaveBean(DedicatedRedisConnection.class);
        });
    }

    @Test
    void memoryStoreWhenChosen() {
        this.runner.withPropertyValues("pielock.store=memory")
            .run(context -> assertThat(context.getBean(LockStore.class)).isInstanceOf(InMemoryLockStore.class));
    }

    @Test
    void disabledMeansNoBeansAndNoAdvice() {
        this.runner.withPropertyValues("pielock.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(LockTemplate.class);
            assertThat(context).doesNotHaveBean(LockStore.class);
            assertThat(context).doesNotHaveBean(DistributedLockAdvisor.class);
        });
    }

    @Test
    void applicationsOwnBeansReplacePielocks() {
        InMemoryLockStore own = new InMemoryLockStore();
        this.runner.withBean(LockStore.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(LockStore.class);
            assertThat(context.getBean(LockStore.class)).isSameAs(own);
        });
        LockTemplate ownTemplate = new LockTemplate(own);
        this.runner.withBean(LockTemplate.class, () -> ownTemplate)
            .run(context -> assertThat(context.getBean(LockTemplate.class)).isSameAs(ownTemplate));
    }

    @Test
    void dedicatedConnectionFromPielockRedisPropertiesIsUsedWithoutReplacingTheApplicationsOne() {
        TestRedis.Endpoint redis = TestRedis.endpoint();
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, PielockAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.port=1", "pielock.redis.host=" + redis.host(),
                    "pielock.redis.port=" + redis.port())
            .run(context -> {
                assertThat(context).hasSingleBean(DedicatedRedisConnection.class)
                    .hasSingleBean(RedisConnectionFactory.class);
                String key = "dedicated:" + java.util.UUID.randomUUID();
                assertThat(context.getBean(LockTemplate.class).acquire(key).acquired()).isTrue();
                StringRedisTemplate direct = new StringRedisTemplate(TestRedis.connectionFactory());
                assertThat(direct.hasKey("pielock:lock:{" + key + "}")).as("written to pielock.redis.*").isTrue();
            });
    }

    @Test
    void redisStoreWithoutAnyRedisConnectionFactoryFailsAtStartupWithAnExplanation() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PielockAutoConfiguration.class))
            .run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(MissingRedisException.class)
                    .hasMessageContaining("pielock.store is 'redis'");
                FailureAnalysis analysis = new PielockFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis.getAction()).contains("pielock.store=memory");
            });
    }

    @Test
    void redisStoreWithoutSpringDataRedisOnTheClasspathFailsAtStartup() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PielockAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
            .run(context -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(MissingRedisException.class)
                .hasMessageContaining("Spring Data Redis is not on the classpath"));
    }

    @Test
    void keyPrefixWithBracesFailsAtStartup() {
        this.runner.withPropertyValues("pielock.key-prefix={app}:").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("must not contain '{' or '}'");
            assertThat(new PielockFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
                .contains("pielock.key-prefix");
        });
    }

    @Test
    void anInvalidDedicatedConnectionFailsAtStartupNamingTheProperty() {
        this.runner.withPropertyValues("pielock.redis.host=localhost", "pielock.redis.port=70000").run(context -> {
            assertThat(context).hasFailed();
            assertThat(Causes.find(context.getStartupFailure(), InvalidPielockPropertyException.class))
                .hasMessage("Invalid pielock.redis.port: must be 1 to 65535, but was 70000 (default 6379)");
        });
        this.runner.withPropertyValues("pielock.redis.host=localhost", "pielock.redis.timeout=0s")
            .run(context -> assertThat(Causes.find(context.getStartupFailure(), InvalidPielockPropertyException.class))
                .hasMessage("Invalid pielock.redis.timeout: must be 1ms to 1d, but was PT0S (default 2s)"));
    }

    @Test
    void invalidLockDefaultsFailAtStartupNamingTheProperty() {
        this.runner.withPropertyValues("pielock.lock.expires=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(Causes.find(context.getStartupFailure(), InvalidPielockPropertyException.class))
                .hasMessage("Invalid pielock.lock.expires: must be at least 1ms, but was 0s (default 30s)");
            assertThat(new PielockFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
                .startsWith("Correct pielock.lock.expires in your configuration");
        });
        this.runner.withPropertyValues("pielock.lock.timeout=-5s").run(context -> assertThat(
                Causes.find(context.getStartupFailure(), InvalidPielockPropertyException.class))
            .hasMessage("Invalid pielock.lock.timeout: must not be negative, but was -5s (default 60s; 0 means one "
                    + "attempt)"));
        this.runner.withPropertyValues("pielock.lock.retry-after=500us").run(context -> assertThat(
                Causes.find(context.getStartupFailure(), InvalidPielockPropertyException.class))
            .hasMessage("Invalid pielock.lock.retry-after: must be at least 1ms, but was 500us (default 1s)"));
        this.runner.withPropertyValues("pielock.lock.expires=109500d").run(context -> assertThat(
                Causes.find(context.getStartupFailure(), InvalidPielockPropertyException.class))
            .hasMessage("Invalid pielock.lock.expires: must be at most 36500d (100 years), but was 109500d "
                    + "(default 30s)"));
        this.runner.withPropertyValues("pielock.lock.timeout=36501d").run(context -> assertThat(
                Causes.find(context.getStartupFailure(), InvalidPielockPropertyException.class))
            .hasMessage("Invalid pielock.lock.timeout: must be at most 36500d (100 years), but was 36501d "
                    + "(default 60s; 0 means one attempt)"));
        this.runner.withPropertyValues("pielock.lock.tries=-1")
            .run(context -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessage("Invalid pielock.lock.tries: must be 0 (no limit) or positive, but was -1 (default 0)"));
    }

    @Test
    void unknownStoreFailsAtStartup() {
        this.runner.withPropertyValues("pielock.store=mongo").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("pielock.store");
        });
    }

    @Test
    void aspectOrderIsConfigurable() {
        this.runner.withPropertyValues("pielock.lock.aspect-order=42")
            .run(context -> assertThat(context.getBean(DistributedLockAdvisor.class).getOrder()).isEqualTo(42));
    }

    @Test
    void aspectOrderDefaultsToRunningOutsideTransactions() {
        this.runner.run(context -> assertThat(context.getBean(DistributedLockAdvisor.class).getOrder())
            .isLessThan(org.springframework.core.Ordered.LOWEST_PRECEDENCE));
    }

    @Test
    void passwordNeverAppearsInThePropertiesText() {
        PielockProperties.Redis redis = new PielockProperties.Redis();
        redis.setPassword("s3cr3t-pw");
        assertThat(redis.toString()).doesNotContain("s3cr3t-pw");
    }
}
