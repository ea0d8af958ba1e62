package io.pielock.autoconfigure;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pielock.annotation.RateLimited;
import io.pielock.limiter.Algorithm;
import io.pielock.limiter.Limit;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.RateLimitExceededException;
import io.pielock.limiter.TimeUnit;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code @RateLimited(cost = …)}: weighted calls on a Spring bean, in a real application context over a real Redis. */
class RateLimitedCostTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, AopAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withPropertyValues(TestRedis.endpoint().springProperties())
        .withPropertyValues("pielock.key-prefix=test-" + UUID.randomUUID() + ":")
        .withBean(Uploads.class);

    @Test
    void aSpelCostTakesThatManyPermitsAllOrNothing() {
        this.runner.run(context -> {
            Uploads uploads = context.getBean(Uploads.class);
            assertThat(uploads.upload("ann", List.of("a", "b", "c"))).isEqualTo(3);
            assertThatExceptionOfType(RateLimitExceededException.class)
                .isThrownBy(() -> uploads.upload("ann", List.of("d", "e", "f")))
                .withMessageStartingWith("Rate limit exceeded key: uploads:ann for Uploads.upload() (5 per 1m); "
                        + "retry after ");
            assertThat(uploads.upload("ann", List.of("d", "e"))).as("the denied 3 took nothing").isEqualTo(2);
            assertThat(uploads.calls()).isEqualTo(2);
            assertThat(context.getBean(Limiter.class).allow("uploads:ann", TimeUnit.MINUTE, 5).allowed()).isFalse();
        });
    }

    @Test
    void aCostAboveTheCountIsDeniedSayingItCanNeverPass() {
        this.runner.run(context -> {
            Uploads uploads = context.getBean(Uploads.class);
            assertThatExceptionOfType(RateLimitExceededException.class)
                .isThrownBy(() -> uploads.upload("bea", List.of("1", "2", "3", "4", "5", "6")))
                .withMessage("Rate limit can never pass key: uploads:bea (5 per 1m): the call costs 6, more than "
                        + "the limit's count of 5; retrying will not help for Uploads.upload()")
                .satisfies(ex -> assertThat(ex.getLimit()).isEqualTo(Limit.of(5, TimeUnit.MINUTE)));
            assertThat(uploads.upload("bea", List.of("1", "2", "3", "4", "5"))).as("nothing was counted").isEqualTo(5);
        });
    }

    @Test
    void aCostThatIsNotAWholeNumberOfAtLeastOneIsRejectedNamingTheMethodTheExpressionAndTheKey() {
        this.runner.run(context -> {
            Uploads uploads = context.getBean(Uploads.class);
            String method = Uploads.class.getName() + ".weighed(String, Object)";
            assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> uploads.weighed("cy", 0))
                .withMessage("Cost expression \"#weight\" of " + method + " for key: weighed:cy evaluated to 0; a "
                        + "call costs at least 1 permit");
            assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> uploads.weighed("cy", -2L))
                .withMessageEndingWith("evaluated to -2; a call costs at least 1 permit");
            assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> uploads.weighed("cy", 1.5))
                .withMessage("Cost expression \"#weight\" of " + method + " for key: weighed:cy evaluated to a "
                        + "Double (1.5), not a whole number");
            assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> uploads.weighed("cy", new BigDecimal("2")))
                .withMessageEndingWith("evaluated to a BigDecimal (2), not a whole number");
            assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> uploads.weighed("cy", "2"))
                .withMessageEndingWith("evaluated to a String (2), not a whole number");
            assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> uploads.weighed("cy", null))
                .withMessageEndingWith("evaluated to null, not a whole number");
            assertThat(uploads.weighed("cy", 4)).as("nothing was counted").isEqualTo(4);
            assertThat(uploads.weighed("cy", (short) 1)).isEqualTo((short) 1);
        });
    }

    @Test
    void aCompletableFutureMethodGetsItsCostDeniedOrRejectedAsItsFailedResult() {
        this.runner.run(context -> {
            Uploads uploads = context.getBean(Uploads.class);
            assertThat(uploads.later("dan", 4).join()).isEqualTo(4);
            assertThat(uploads.later("dan", 2)).failsWithin(Duration.ofSeconds(10))
                .withThrowableThat().havingCause().isInstanceOf(RateLimitExceededException.class);
            assertThat(uploads.later("dan", 0)).failsWithin(Duration.ofSeconds(10))
                .withThrowableThat().havingCause().isInstanceOf(IllegalArgumentException.class)
                .withMessageContaining("for key: later:dan evaluated to 0");
        });
    }

    @Test
    void aLiteralCostOnRepeatedLimitsIsTakenFromEachAndAGcraLimitMovesOnThatManyIntervals() {
        this.runner.run(context -> {
            Uploads uploads = context.getBean(Uploads.class);
            uploads.bulk();
            Limiter limiter = context.getBean(Limiter.class);
            assertThat(limiter.allow("bulk", List.of(Limit.of(9, TimeUnit.HOUR))).remaining()).isEqualTo(5);
            assertThat(limiter.allow("bulk", List.of(Limit.of(4, TimeUnit.MINUTE, Algorithm.GCRA))).remaining())
                .isZero();
            assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(uploads::bulk);
        });
    }

    /** A bean with weighted, rate-limited methods. */
    public static class Uploads {

        private int calls;

        /** @return how often {@link #upload} ran (a method: fields of the proxy are not the bean's) */
        public synchronized int calls() {
            return this.calls;
        }

        @RateLimited(key = "'uploads:' + #user", per = TimeUnit.MINUTE, count = 5, cost = "#files.size()")
        public synchronized int upload(String user, List<String> files) {
            this.calls++;
            return files.size();
        }

        @RateLimited(key = "'weighed:' + #user", per = TimeUnit.MINUTE, count = 5, cost = "#weight")
        public Object weighed(String user, Object weight) {
            return weight;
        }

        @RateLimited(key = "'later:' + #user", per = TimeUnit.MINUTE, count = 5, cost = "#n")
        public CompletableFuture<Integer> later(String user, int n) {
            return CompletableFuture.completedFuture(n);
        }

        @RateLimited(key = "'bulk'", per = TimeUnit.HOUR, count = 9, cost = "3")
        @RateLimited(key = "'bulk'", per = TimeUnit.MINUTE, count = 4, algorithm = Algorithm.GCRA)
        public void bulk() {
        }
    }
}
