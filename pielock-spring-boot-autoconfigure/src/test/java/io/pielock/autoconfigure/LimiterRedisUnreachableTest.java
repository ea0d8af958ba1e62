package io.pielock.autoconfigure;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessException;

import io.pielock.limiter.Limiter;
import io.pielock.limiter.LimiterUnavailableException;
import io.pielock.limiter.RateLimitExceededException;
import io.pielock.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Redis cannot be reached (a port nothing listens on): denied by default, allowed and counted when failing open. */
@ExtendWith(OutputCaptureExtension.class)
class LimiterRedisUnreachableTest {

    private final int port = RedisServer.freePort();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, AopAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.port,
                "spring.data.redis.timeout=500ms", "spring.data.redis.connect-timeout=500ms")
        .withBean(RateLimitedCalls.class);

    @Test
    void failingClosedDeniesWithTheConnectionErrorAsCauseNotAsAnExceededLimit() {
        this.runner.run(context -> {
            RateLimitedCalls api = context.getBean(RateLimitedCalls.class);
            long start = System.nanoTime();
            assertThatExceptionOfType(LimiterUnavailableException.class).isThrownBy(() -> api.call("alice"))
                .withMessageStartingWith("Could not check rate limit key: user:alice for RateLimitedCalls.call(): the "
                        + "rate limit store could not be reached (Redis at 127.0.0.1:" + this.port + "), so the "
                        + "call is denied (fail-closed; "
                        + "pielock.limiter.fail-open=true allows calls unchecked while it is unreachable)")
                .withCauseInstanceOf(DataAccessException.class)
                .isNotInstanceOf(RateLimitExceededException.class)
                .satisfies(ex -> assertThat(ex.getMethod().getName()).isEqualTo("call"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(api.calls()).as("neither the method nor its fallback ran").isZero();
        });
    }

    @Test
    void failingOpenAllowsCountsAndWarnsOnceInTenSeconds(CapturedOutput output) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        this.runner.withPropertyValues("pielock.limiter.fail-open=true")
            .withBean(MeterRegistry.class, () -> meters)
            .withBean(ObservationRegistry.class, () -> {
                ObservationRegistry registry = ObservationRegistry.create();
                registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
                return registry;
            })
            .run(context -> {
            RateLimitedCalls api = context.getBean(RateLimitedCalls.class);
            for (int i = 0; i < 3; i++) {
                assertThat(api.call("bob")).isEqualTo("served bob");
            }
            assertThat(api.calls()).isEqualTo(3);
            Limiter limiter = context.getBean(Limiter.class);
            assertThat(limiter.getFailOpenCount()).isEqualTo(3);
            assertThat(meters.get("pielock.limiter.decision").tag("outcome", "fail-open").timer().count())
                .as("the fail-open count is the decision meter's fail-open outcome").isEqualTo(3);
            assertThat(meters.find("pielock.limiter.fail.open").meter()).as("the old meter is gone").isNull();
            assertThat(output.getOut().split("Rate limit store unreachable: allowing calls without a check", -1))
                .as("one warning for three calls").hasSize(2);
        });
    }
}
