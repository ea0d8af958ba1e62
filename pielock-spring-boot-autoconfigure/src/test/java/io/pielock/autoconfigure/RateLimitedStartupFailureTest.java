package io.pielock.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;

import io.pielock.annotation.RateLimited;
import io.pielock.interceptor.AnnotationConfigurationException;
import io.pielock.limiter.Algorithm;
import io.pielock.limiter.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@code @RateLimited} annotation that cannot work fails the application context, naming the method. */
class RateLimitedStartupFailureTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, PielockAutoConfiguration.class))
        .withPropertyValues("pielock.store=memory");

    static Stream<Arguments> badAnnotations() {
        return Stream.of(Arguments.of(ZeroCount.class, "Rate limit count must be at least 1, but was 0"),
                Arguments.of(NegativeCount.class, "Rate limit count must be at least 1, but was -1"),
                Arguments.of(WindowUnderOneMillisecond.class, "Rate limit window must be at least 1ms"),
                Arguments.of(WindowThatIsNoDuration.class, "window 'soon' is not a duration"),
                Arguments.of(BlankKey.class, "key must not be empty"),
                Arguments.of(KeyThatDoesNotParse.class, "key expression \"#user +\" does not parse"),
                Arguments.of(UnknownFallback.class, "fallback method 'nowhere' not found"),
                Arguments.of(TwoFallbacks.class, "different fallbacks ('a' and 'b')"),
                Arguments.of(TwoLimitsWithOneWindow.class, "share the window of 2 per 1m and 5 per 1m"),
                Arguments.of(SlidingWindowTooLarge.class, "Algorithm.GCRA keeps one number per key"),
                Arguments.of(GcraFasterThanItsClock.class, "at most one per microsecond of the window"),
                Arguments.of(FutureResult.class, "it returns CompletableFuture, a result that completes after the "
                        + "method returns, so the limit would be decided when the method returns the result"),
                Arguments.of(MonoResult.class, "it returns Mono (a reactive type)"));
    }

    @ParameterizedTest
    @MethodSource("badAnnotations")
    void badAnnotationFailsStartupNamingTheMethodAndTheProblem(Class<?> bean, String problem) {
        this.runner.withBean(bean).run(context -> {
            assertThat(context).hasFailed();
            AnnotationConfigurationException ex = Causes.find(context.getStartupFailure(),
                    AnnotationConfigurationException.class);
            assertThat(ex.getMessage()).startsWith("Invalid @RateLimited on " + bean.getName() + ".call(String): ")
                .contains(problem);
            FailureAnalysis analysis = new PielockFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getAction()).startsWith("Fix the annotation on " + bean.getSimpleName() + ".call()");
        });
    }

    public static class ZeroCount {

        @RateLimited(count = 0)
        public void call(String user) {
        }
    }

    public static class NegativeCount {

        @RateLimited(per = TimeUnit.HOUR, count = -1)
        public void call(String user) {
        }
    }

    public static class WindowUnderOneMillisecond {

        @RateLimited(window = "500us", count = 2)
        public void call(String user) {
        }
    }

    public static class WindowThatIsNoDuration {

        @RateLimited(window = "soon", count = 2)
        public void call(String user) {
        }
    }

    public static class BlankKey {

        @RateLimited(key = "  ", count = 2)
        public void call(String user) {
        }
    }

    public static class KeyThatDoesNotParse {

        @RateLimited(key = "#user +", count = 2)
        public void call(String user) {
        }
    }

    public static class UnknownFallback {

        @RateLimited(count = 2, fallback = "nowhere")
        public void call(String user) {
        }
    }

    public static class TwoFallbacks {

        @RateLimited(count = 2, fallback = "a")
        @RateLimited(per = TimeUnit.MINUTE, count = 20, fallback = "b")
        public void call(String user) {
        }

        void a(String user) {
        }

        void b(String user) {
        }
    }

    public static class TwoLimitsWithOneWindow {

        @RateLimited(key = "#user", per = TimeUnit.MINUTE, count = 2)
        @RateLimited(key = "#user", window = "60s", count = 5)
        public void call(String user) {
        }
    }

    public static class SlidingWindowTooLarge {

        @RateLimited(per = TimeUnit.MONTH, count = 5_000_000)
        public void call(String user) {
        }
    }

    public static class GcraFasterThanItsClock {

        @RateLimited(window = "1ms", count = 2000, algorithm = Algorithm.GCRA)
        public void call(String user) {
        }
    }

    public static class FutureResult {

        @RateLimited(per = TimeUnit.SECOND, count = 2)
        public CompletableFuture<String> call(String user) {
            return CompletableFuture.completedFuture(user);
        }
    }

    public static class MonoResult {

        @RateLimited(per = TimeUnit.SECOND, count = 2)
        public Mono<String> call(String user) {
            return Mono.just(user);
        }
    }
}
