package io.pielock.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.test.RedisCluster;

import static org.assertj.core.api.Assertions.assertThat;

/** An application on Redis Cluster, configured the way users do: {@code spring.data.redis.cluster.nodes}. */
class RedisClusterAutoConfigurationTest {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, AopAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withBean(LockedJobs.class);

    @Test
    void aLockedMethodLocksInTheClusterConfiguredBySpringDataRedisClusterNodes() {
        RedisCluster cluster = RedisCluster.shared();
        this.contextRunner.withPropertyValues(cluster.springProperties()).run(context -> {
            assertThat(((LettuceConnectionFactory) context.getBean(RedisConnectionFactory.class)).isClusterAware())
                .isTrue();
            String lockKey = "pielock:lock:{cluster-job}";
            Object holder = context.getBean(LockedJobs.class)
                .run("cluster-job", () -> cluster.masterOf(lockKey).call("GET", lockKey));
            assertThat(holder).as("the lock lived on the slot's master while the method ran").isNotNull();
            assertThat(cluster.masterOf(lockKey).call("EXISTS", lockKey)).as("released afterwards").isEqualTo(0L);
        });
    }
}
