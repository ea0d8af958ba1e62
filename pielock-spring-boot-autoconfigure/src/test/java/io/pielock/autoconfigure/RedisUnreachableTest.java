package io.pielock.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;

import io.pielock.annotation.DistributedLocked;
import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockAcquisitionException.Reason;
import io.pielock.lock.LockTemplate;
import io.pielock.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With no Redis listening, the application starts, and lock calls fail fast and clearly, never as contention. */
class RedisUnreachableTest {

    private final int port = RedisServer.freePort();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.port,
                "spring.data.redis.timeout=1s", "pielock.lock.timeout=60s")
        .withBean(Guarded.class);

    static class Guarded {

        @DistributedLocked(key = "'report'")
        public String run() {
            return "ran";
        }
    }

    @Test
    void annotatedCallFailsWithinTheCommandTimeoutNamingKeyMethodAndCause() {
        this.runner.run(context -> {
            assertThat(context).hasNotFailed();
            long start = System.nanoTime();
            assertThatThrownBy(() -> context.getBean(Guarded.class).run())
                .isInstanceOfSatisfying(LockAcquisitionException.class,
                        ex -> assertThat(ex.getReason()).isEqualTo(Reason.STORE_UNAVAILABLE))
                .hasMessageContaining("'report'")
                .hasMessageContaining("Guarded.run()")
                .hasMessageContaining("the lock store could not be reached (Redis at 127.0.0.1:" + this.port + ")")
                .hasCauseInstanceOf(DataAccessException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the 60 s lock timeout")
                .isLessThan(Duration.ofSeconds(20));
        });
    }

    @Test
    void acquireThrowsInsteadOfReportingContention() {
        this.runner.run(context -> assertThatThrownBy(() -> context.getBean(LockTemplate.class).acquire("k"))
            .isInstanceOf(LockAcquisitionException.class)
            .hasCauseInstanceOf(DataAccessException.class));
    }
}
