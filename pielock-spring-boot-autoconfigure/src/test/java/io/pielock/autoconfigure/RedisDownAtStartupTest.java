package io.pielock.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pielock.limiter.LimiterUnavailableException;
import io.pielock.lock.LockAcquisitionException;
import io.pielock.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An application whose Redis is down when it starts, and comes up later. */
class RedisDownAtStartupTest {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, AopAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withBean(LockedJobs.class)
        .withBean(RateLimitedCalls.class);

    @Test
    void theApplicationStartsLockedCallsFailClearlyAndWorkOnceRedisIsUpWithoutARestart() {
        int port = RedisServer.freePort();
        this.contextRunner.withPropertyValues(redisDownOn(port)).run(context -> {
            assertThat(context).hasNotFailed();
            LockedJobs jobs = context.getBean(LockedJobs.class);
            long start = System.nanoTime();
            assertThatThrownBy(() -> jobs.held("down-at-startup")).isInstanceOf(LockAcquisitionException.class)
                .hasMessageContaining("'down-at-startup' for LockedJobs.held()")
                .hasMessageContaining("could not be reached")
                .satisfies(ex -> assertThat(((LockAcquisitionException) ex).getReason())
                    .isEqualTo(LockAcquisitionException.Reason.STORE_UNAVAILABLE));
            assertThat(System.nanoTime() - start).as("failed fast, not after the 60 s lock timeout")
                .isLessThan(20_000_000_000L);

            try (RedisServer redis = RedisServer.startOn(port)) {
                assertThat(jobs.held("down-at-startup").fencingToken()).isPositive();
            }
        });
    }

    @Test
    void theApplicationStartsRateLimitedCallsFailClearlyAndWorkOnceRedisIsUpWithoutARestart() {
        int port = RedisServer.freePort();
        this.contextRunner.withPropertyValues(redisDownOn(port)).run(context -> {
            assertThat(context).hasNotFailed();
            RateLimitedCalls api = context.getBean(RateLimitedCalls.class);
            long start = System.nanoTime();
            assertThatThrownBy(() -> api.call("down-at-startup")).isInstanceOf(LimiterUnavailableException.class)
                .hasMessageStartingWith("Could not check rate limit key: user:down-at-startup for "
                        + "RateLimitedCalls.call(): the rate limit store could not be reached");
            assertThat(System.nanoTime() - start).as("failed fast").isLessThan(20_000_000_000L);
            assertThat(api.calls()).as("neither the method nor its fallback ran").isZero();

            try (RedisServer redis = RedisServer.startOn(port)) {
                assertThat(api.call("down-at-startup")).isEqualTo("served down-at-startup");
                assertThat(api.call("down-at-startup")).as("limited again").isEqualTo("busy");
            }
        });
    }

    private static String[] redisDownOn(int port) {
        return new String[] { "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + port,
                "spring.data.redis.timeout=1s", "spring.data.redis.connect-timeout=1s" };
    }
}
