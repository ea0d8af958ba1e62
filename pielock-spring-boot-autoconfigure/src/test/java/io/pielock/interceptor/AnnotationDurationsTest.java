package io.pielock.interceptor;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pielock.annotation.DistributedLocked;
import io.pielock.annotation.RateLimited;
import io.pielock.limiter.KeyedLimits;
import io.pielock.limiter.Limit;
import io.pielock.lock.LockOptions;

import static org.assertj.core.api.Assertions.assertThat;

/** Annotation durations take the ISO-8601 form ({@code PT1M}) as Spring Boot's {@code Duration} properties do. */
class AnnotationDurationsTest {

    @Test
    void lockDurationsMayBeWrittenInIsoForm() throws Exception {
        LockOperation operation = new LockOperationSource(text -> text)
            .getOperation(Jobs.class.getDeclaredMethod("nightly"), Jobs.class);
        LockOptions options = operation.options(LockOptions.defaults());
        assertThat(options.expires()).isEqualTo(Duration.ofMinutes(1));
        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.retryAfter()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void rateLimitWindowsMayBeWrittenInIsoForm() throws Exception {
        Method method = Jobs.class.getDeclaredMethod("report");
        RateLimitOperation operation = new RateLimitOperationSource(text -> text).getOperation(method, Jobs.class);
        List<KeyedLimits> keys = operation.keys(null, new Jobs(), new Object[0]);
        assertThat(keys).singleElement().extracting(KeyedLimits::limits)
            .isEqualTo(List.of(Limit.of(3, Duration.ofMinutes(1))));
    }

    @Test
    void isoAndShortFormsMeanTheSame() {
        assertThat(DurationText.parse("PT1M")).isEqualTo(DurationText.parse("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(DurationText.parse(" PT0.25S ")).isEqualTo(DurationText.parse("250"))
            .isEqualTo(Duration.ofMillis(250));
        assertThat(DurationText.parse("P1D")).isEqualTo(DurationText.parse("1d"));
    }

    static class Jobs {

        @DistributedLocked(key = "'nightly'", expires = "PT1M", timeout = "PT2S", retryAfter = "PT0.05S")
        void nightly() {
        }

        @RateLimited(count = 3, window = "PT1M")
        void report() {
        }
    }
}
