package io.pielock.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pielock.lock.LockAcquisitionException;
import io.pielock.store.redis.ReplicaAcknowledgementException;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code pielock.lock.min-replicas-acked} reaches the Redis store, and bad values stop the application. */
class MinReplicasAckedAutoConfigurationTest {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, AopAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withBean(LockedJobs.class)
        .withPropertyValues(TestRedis.endpoint().springProperties());

    @Test
    void aRedisWithoutTheRequiredReplicasFailsLockedCallsNamingTheMethod() {
        this.contextRunner.withPropertyValues("pielock.lock.min-replicas-acked=1").run(context -> {
            LockedJobs jobs = context.getBean(LockedJobs.class);
            assertThatThrownBy(() -> jobs.held("needs-a-replica")).isInstanceOf(LockAcquisitionException.class)
                .hasMessageContaining("LockedJobs.held()")
                .hasMessageContaining("acknowledged by 0 of 1 replicas")
                .hasCauseInstanceOf(ReplicaAcknowledgementException.class);
        });
    }

    @Test
    void byDefaultNoReplicaIsAwaited() {
        this.contextRunner.run(context -> assertThat(context.getBean(LockedJobs.class).held("no-replica-needed")
            .fencingToken()).isPositive());
    }

    @Test
    void aNegativeCountStopsTheApplication() {
        this.contextRunner.withPropertyValues("pielock.lock.min-replicas-acked=-1")
            .run(context -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidPielockPropertyException.class)
                .hasMessageContaining("pielock.lock.min-replicas-acked"));
    }
}
