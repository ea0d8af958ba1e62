package io.pielock.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.pielock.annotation.RateLimited;
import io.pielock.interceptor.AnnotationConfigurationException;
import io.pielock.limiter.Algorithm;
import io.pielock.limiter.RateLimitStore;
import io.pielock.store.memory.InMemoryRateLimitStore;
import io.pielock.limiter.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@code @RateLimited} annotation that cannot work fails the application context, naming the method. */
class RateLimitedStartupFailureTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, PielockAutoConfiguration.class))
        .withPropertyValues("pielock.store=memory");

    static Stream<Arguments> badAnnotations() {
        return Stream.of(Arguments.of(ZeroCount.class, "it gives neither count (calls per window, at least 1) nor limit"),
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
                Arguments.of(FutureResult.class, "it returns Future, a result that completes after the "
                        + "method returns, so the limit would be decided when the method returns the result, not when it is used. "
                        + "@RateLimited supports these asynchronous results only: [CompletableFuture, "
                        + "CompletionStage, Flux, Mono]"),
                Arguments.of(PublisherResult.class, "it returns Publisher (a reactive type)"),
                Arguments.of(CompletableFutureSubtypeResult.class, "it returns MinimalFuture"),
                Arguments.of(ZeroCost.class, "cost must be at least 1, but was 0"),
                Arguments.of(BlankCost.class, "cost must not be empty"),
                Arguments.of(CostAboveTheCount.class, "cost 6 is more than the count of 5 per 1m, so no call could "
                        + "ever pass"),
                Arguments.of(CostThatDoesNotParse.class, "cost expression \"#user.size(\" does not parse"),
                Arguments.of(CostOfAnUnknownParameter.class, "cost expression \"#files.size()\" refers to #files, "
                        + "which is not a parameter of the method"),
                Arguments.of(TwoCosts.class, "different costs ('2' and '#user.length()')"));
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
        public Future<String> call(String user) {
            return CompletableFuture.completedFuture(user);
        }
    }

    public static class PublisherResult {

        @RateLimited(per = TimeUnit.SECOND, count = 2)
        public Publisher<String> call(String user) {
            return Mono.just(user);
        }
    }

    /** A subtype of CompletableFuture: a denial could not be delivered as one. */
    public static class CompletableFutureSubtypeResult {

        @RateLimited(per = TimeUnit.SECOND, count = 2)
        public MinimalFuture call(String user) {
            return new MinimalFuture();
        }
    }

    public static class MinimalFuture extends CompletableFuture<String> {
    }

    @Test
    void aMonoMethodWithoutAReactiveLimiterFailsStartupSayingWhatIsMissing() {
        // a rate limit store of the application's own has no reactive face, so there is no ReactiveLimiter
        this.runner.withBean(RateLimitStore.class, InMemoryRateLimitStore::new)
            .withBean(MonoResult.class)
            .run(context -> {
                assertThat(context).hasFailed();
                AnnotationConfigurationException ex = Causes.find(context.getStartupFailure(),
                        AnnotationConfigurationException.class);
                assertThat(ex.getMessage()).startsWith("Invalid @RateLimited on " + MonoResult.class.getName()
                        + ".call(String): it returns Mono, which is decided at subscription by a ReactiveLimiter, "
                        + "but the application has none.");
            });
    }

    @Test
    void completableFutureMonoAndFluxMethodsStartWithTheMemoryStore() {
        this.runner.withBean(MonoResult.class).withBean(FluxResult.class).withBean(CompletionStageResult.class)
            .run(context -> assertThat(context).hasNotFailed());
    }

    public static class MonoResult {

        @RateLimited(per = TimeUnit.SECOND, count = 2)
        public Mono<String> call(String user) {
            return Mono.just(user);
        }
    }

    public static class FluxResult {

        @RateLimited(per = TimeUnit.SECOND, count = 2)
        public Flux<String> call(String user) {
            return Flux.just(user);
        }
    }

    public static class CompletionStageResult {

        @RateLimited(per = TimeUnit.SECOND, count = 2)
        public CompletionStage<String> call(String user) {
            return CompletableFuture.completedFuture(user);
        }
    }

    public static class ZeroCost {

        @RateLimited(count = 5, cost = "0")
        public void call(String user) {
        }
    }

    public static class BlankCost {

        @RateLimited(count = 5, cost = " ")
        public void call(String user) {
        }
    }

    public static class CostAboveTheCount {

        @RateLimited(per = TimeUnit.HOUR, count = 10, cost = "6")
        @RateLimited(per = TimeUnit.MINUTE, count = 5)
        public void call(String user) {
        }
    }

    public static class CostThatDoesNotParse {

        @RateLimited(count = 5, cost = "#user.size(")
        public void call(String user) {
        }
    }

    public static class CostOfAnUnknownParameter {

        @RateLimited(count = 5, cost = "#files.size()")
        public void call(String user) {
        }
    }

    public static class TwoCosts {

        @RateLimited(per = TimeUnit.MINUTE, count = 5, cost = "2")
        @RateLimited(per = TimeUnit.HOUR, count = 50, cost = "#user.length()")
        public void call(String user) {
        }
    }
}
