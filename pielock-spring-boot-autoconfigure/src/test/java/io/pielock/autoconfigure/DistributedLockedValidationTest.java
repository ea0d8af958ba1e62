package io.pielock.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import reactor.core.publisher.Flux;

import io.pielock.annotation.DistributedLocked;
import io.pielock.interceptor.AnnotationConfigurationException;
import io.pielock.lock.LockContext;

import static org.assertj.core.api.Assertions.assertThat;

/** A @DistributedLocked that cannot work stops the application at startup, naming the method and the fix. */
class DistributedLockedValidationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, PielockAutoConfiguration.class))
        .withPropertyValues("pielock.store=memory");

    @Test
    void keyExpressionThatDoesNotParseFailsStartup() {
        assertStartupFails(UnparsableKey.class, "UnparsableKey.reserve(String)", "does not parse");
    }

    @Test
    void emptyKeyFailsStartup() {
        assertStartupFails(EmptyKey.class, "EmptyKey.reserve(String)", "key must not be empty");
    }

    @Test
    void unknownFallbackFailsStartup() {
        assertStartupFails(UnknownFallback.class, "UnknownFallback.reserve(String)",
                "fallback method 'missing' not found");
    }

    @Test
    void fallbackWithOtherParametersFailsStartup() {
        assertStartupFails(MismatchedFallback.class, "MismatchedFallback.reserve(String)",
                "fallback method 'other' not found");
    }

    @Test
    void negativeDurationFailsStartup() {
        assertStartupFails(NegativeTimeout.class, "NegativeTimeout.reserve(String)", "timeout must not be negative");
    }

    @Test
    void textThatIsNotADurationFailsStartup() {
        assertStartupFails(BadDuration.class, "BadDuration.reserve(String)", "'soon' is not a duration");
    }

    @Test
    void zeroLeaseFailsStartup() {
        assertStartupFails(ZeroLease.class, "ZeroLease.reserve(String)", "expires must be at least 1ms");
    }

    @Test
    void aLeaseOverOneHundredYearsFailsStartup() {
        assertStartupFails(CenturiesLease.class, "CenturiesLease.reserve(String)",
                "expires must be at most 36500d (100 years), but was 109500d");
    }

    @Test
    void negativeTriesFailStartup() {
        assertStartupFails(NegativeTries.class, "NegativeTries.reserve(String)", "tries must be 0");
    }

    @Test
    void aKeyNamingNoParameterFailsStartupListingTheParameters() {
        assertStartupFails(MisspelledKey.class, "MisspelledKey.ship(String, int)",
                "key expression \"#ordrId\" refers to #ordrId, which is not a parameter of the method; "
                        + "its parameters are #orderId, #copies");
    }

    @Test
    void aKeyNamingAParameterPositionTheMethodLacksFailsStartup() {
        assertStartupFails(PositionOutOfRange.class, "PositionOutOfRange.reserve(String)",
                "refers to #p1, but the method has 1 parameter(s)");
    }

    @Test
    void methodsReturningCompletableFutureCompletionStageMonoAndFluxStart() {
        this.runner.withBean(FutureResult.class).withBean(StageResult.class).withBean(MonoResult.class)
            .withBean(FluxResult.class).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void anAsynchronousMethodWithoutAReactiveLockTemplateFailsStartupNamingTheMethod() {
        this.runner.withBean(io.pielock.lock.LockStore.class,
                () -> new io.pielock.lock.ForwardingLockStore(new io.pielock.store.memory.InMemoryLockStore()))
            .withBean(MonoResult.class)
            .run(context -> {
                assertThat(context).hasFailed();
                assertThat(Causes.find(context.getStartupFailure(), IllegalStateException.class))
                    .hasMessageContaining("MonoResult.reserve(String) needs a "
                            + "ReactiveLockTemplate")
                    .hasMessageContaining("define a ReactiveLockStore or ReactiveLockTemplate bean");
            });
    }

    @Test
    void aMethodReturningAFutureThatIsNotACompletionStageFailsStartupRatherThanReleaseBeforeTheWorkRuns() {
        assertStartupFails(PlainFutureResult.class, "PlainFutureResult.reserve(String)", "it returns Future, a "
                + "result that completes after the method returns, and a Future cannot say when it completes "
                + "without a thread blocking on it: return a CompletableFuture");
    }

    @Test
    void aMethodReturningASubclassOfCompletableFutureFailsStartup() {
        assertStartupFails(PromiseResult.class, "PromiseResult.reserve(String)",
                "declare the method to return CompletionStage or CompletableFuture");
    }

    @Test
    void anAsyncMethodReturningAFutureStartsAndItsBodyRunsUnderTheLock() {
        this.runner.withUserConfiguration(AsyncEnabled.class).withBean(AsyncFuture.class).run(context -> {
            assertThat(context).hasNotFailed();
            CompletableFuture<Long> token = context.getBean(AsyncFuture.class).reserve("tee");
            assertThat(token.get(10, TimeUnit.SECONDS)).as("the fencing token seen inside the @Async body")
                .isPositive();
        });
    }

    @Test
    void keysNamingParametersPositionsRootAndThisStart() {
        this.runner.withBean(WellNamedKeys.class).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void failureAnalyzerDescribesTheProblemAndTheFix() {
        this.runner.withBean(UnknownFallback.class).run(context -> {
            FailureAnalysis analysis = new PielockFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("UnknownFallback.reserve(String)");
            assertThat(analysis.getAction()).startsWith("Fix the annotation on UnknownFallback.reserve()");
        });
    }

    private void assertStartupFails(Class<?> bean, String method, String problem) {
        this.runner.withBean(bean).run(context -> {
            assertThat(context).hasFailed();
            assertThat(Causes.find(context.getStartupFailure(), AnnotationConfigurationException.class))
                .hasMessageContaining("@DistributedLocked")
                .hasMessageContaining(method)
                .hasMessageContaining(problem);
        });
    }

    static class UnparsableKey {

        @DistributedLocked(key = "#sku +")
        public void reserve(String sku) {
        }
    }

    static class EmptyKey {

        @DistributedLocked(key = " ")
        public void reserve(String sku) {
        }
    }

    static class UnknownFallback {

        @DistributedLocked(key = "#sku", fallback = "missing")
        public void reserve(String sku) {
        }
    }

    static class MismatchedFallback {

        @DistributedLocked(key = "#sku", fallback = "other")
        public String reserve(String sku) {
            return sku;
        }

        public String other(int sku) {
            return "";
        }
    }

    static class NegativeTimeout {

        @DistributedLocked(key = "#sku", timeout = "-5s")
        public void reserve(String sku) {
        }
    }

    static class BadDuration {

        @DistributedLocked(key = "#sku", expires = "soon")
        public void reserve(String sku) {
        }
    }

    static class ZeroLease {

        @DistributedLocked(key = "#sku", expires = "0")
        public void reserve(String sku) {
        }
    }

    static class NegativeTries {

        @DistributedLocked(key = "#sku", tries = -2)
        public void reserve(String sku) {
        }
    }

    static class MisspelledKey {

        @DistributedLocked(key = "#ordrId")
        public void ship(String orderId, int copies) {
        }
    }

    static class PositionOutOfRange {

        @DistributedLocked(key = "#p0 + #p1")
        public void reserve(String sku) {
        }
    }

    static class WellNamedKeys {

        @DistributedLocked(key = "#orderId + ':' + #p1 + ':' + #a1 + ':' + #root.methodName")
        public void ship(String orderId, int copies) {
        }

        @DistributedLocked(key = "{'a', 'b'}.?[#this == 'a'][0] + #sku")
        public void select(String sku) {
        }
    }

    static class FutureResult {

        @DistributedLocked(key = "#sku")
        public CompletableFuture<String> reserve(String sku) {
            return CompletableFuture.completedFuture(sku);
        }
    }

    static class StageResult {

        @DistributedLocked(key = "#sku")
        public java.util.concurrent.CompletionStage<String> reserve(String sku) {
            return CompletableFuture.completedFuture(sku);
        }
    }

    static class MonoResult {

        @DistributedLocked(key = "#sku")
        public reactor.core.publisher.Mono<String> reserve(String sku) {
            return reactor.core.publisher.Mono.just(sku);
        }
    }

    static class PlainFutureResult {

        @DistributedLocked(key = "#sku")
        public java.util.concurrent.Future<String> reserve(String sku) {
            return CompletableFuture.completedFuture(sku);
        }
    }

    static class Promise<T> extends CompletableFuture<T> {
    }

    static class PromiseResult {

        @DistributedLocked(key = "#sku")
        public Promise<String> reserve(String sku) {
            return new Promise<>();
        }
    }

    static class FluxResult {

        @DistributedLocked(key = "#sku")
        public Flux<String> reserve(String sku) {
            return Flux.just(sku);
        }
    }

    @EnableAsync
    static class AsyncEnabled {
    }

    static class AsyncFuture {

        @Async
        @DistributedLocked(key = "#sku")
        public CompletableFuture<Long> reserve(String sku) {
            return CompletableFuture.completedFuture(LockContext.current().fencingToken());
        }
    }

    static class CenturiesLease {

        @DistributedLocked(key = "#sku", expires = "109500d")
        public void reserve(String sku) {
        }
    }
}
