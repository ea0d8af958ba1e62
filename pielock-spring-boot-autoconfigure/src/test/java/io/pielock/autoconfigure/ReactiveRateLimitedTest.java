package io.pielock.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import io.pielock.annotation.RateLimited;
import io.pielock.interceptor.RateLimitDecisionListener;
import io.pielock.limiter.LimitResult;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.RateLimitExceededException;
import io.pielock.limiter.ReactiveLimiter;
import io.pielock.limiter.TimeUnit;
import io.pielock.test.NonBlocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @RateLimited} on methods returning {@code Mono}, {@code Flux} and {@code CompletableFuture}, in a real
 * application context (memory store): decided at subscription (or when called), denials delivered through the
 * result, never thrown; subscribers on Reactor's parallel scheduler under BlockHound.
 */
class ReactiveRateLimitedTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, PielockAutoConfiguration.class))
        .withPropertyValues("pielock.store=memory")
        .withBean(Api.class);

    @BeforeAll
    static void installBlockHound() {
        NonBlocking.install();
    }

    @Test
    void aMonoMethodIsDecidedAtSubscriptionNotWhenCalled() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            for (int i = 0; i < 5; i++) {
                api.mono("ann");
            }
            assertThat(api.calls()).as("assembled, never subscribed: the method did not even run").isZero();
            assertThat(context.getBean(Limiter.class).allow("mono:ann", TimeUnit.MINUTE, 2).remaining())
                .as("and nothing was counted").isEqualTo(1);
        });
    }

    @Test
    void aMonoOrFutureCallWhoseConditionIsFalseIsNeitherCountedNorLimited() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            for (int i = 0; i < 3; i++) {
                StepVerifier.create(api.monoUnlessInternal("cal", true).subscribeOn(Schedulers.parallel()))
                    .expectNext("hello cal").verifyComplete();
                assertThat(api.futureUnlessInternal("cal", true).join()).isEqualTo("future cal");
            }
            StepVerifier.create(api.monoUnlessInternal("cal", false).subscribeOn(Schedulers.parallel()))
                .expectNext("hello cal").verifyComplete();
            StepVerifier.create(api.monoUnlessInternal("cal", false).subscribeOn(Schedulers.parallel()))
                .expectError(RateLimitExceededException.class).verify();
            assertThat(api.futureUnlessInternal("cal", false).join()).isEqualTo("future cal");
            assertThat(api.futureUnlessInternal("cal", false)).isCompletedExceptionally();
            assertThat(api.calls()).as("7 skipped or allowed calls ran, the 2 denied did not").isEqualTo(8);
        });
    }

    @Test
    void eachSubscriptionToAMonoIsOneCallAndADenialIsAnErrorSignal() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            Mono<String> hello = api.mono("bob");
            StepVerifier.create(hello.subscribeOn(Schedulers.parallel())).expectNext("hello bob").verifyComplete();
            StepVerifier.create(hello.subscribeOn(Schedulers.parallel())).expectNext("hello bob").verifyComplete();
            StepVerifier.create(hello.subscribeOn(Schedulers.parallel()))
                .expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(RateLimitExceededException.class)
                    .hasMessageStartingWith("Rate limit exceeded key: mono:bob for Api.mono() (2 per 1m)"))
                .verify();
            assertThat(api.calls()).as("the method ran for each allowed subscription only").isEqualTo(2);
        });
    }

    @Test
    void aFluxIsDecidedOnceForAllItsElements() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            StepVerifier.create(api.flux("cy").subscribeOn(Schedulers.parallel())).expectNext(1, 2, 3)
                .verifyComplete();
            StepVerifier.create(api.flux("cy").subscribeOn(Schedulers.parallel()))
                .expectError(RateLimitExceededException.class)
                .verify();
            assertThat(api.calls()).isEqualTo(1);
        });
    }

    @Test
    void aDeniedMonoSubscribesToTheFallbacksMono() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            StepVerifier.create(api.monoWithFallback("dee")).expectNext("served dee").verifyComplete();
            StepVerifier.create(api.monoWithFallback("dee").subscribeOn(Schedulers.parallel()))
                .assertNext(busy -> assertThat(busy).startsWith("busy dee: Rate limit exceeded key: dee for Api.monoWithFallback()"))
                .verifyComplete();
        });
    }

    @Test
    void keyExpressionErrorsAreErrorSignalsToo() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            Mono<String> noKey = api.mono(null);
            StepVerifier.create(noKey).expectErrorSatisfies(ex -> assertThat(ex)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("Api.mono(String) evaluated to null")).verify();
        });
    }

    @Test
    void keysAreEvaluatedWithTheCallsArgumentsAtEachSubscription() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            Flux.range(0, 6)
                .flatMap(i -> api.mono("user" + (i % 3)).subscribeOn(Schedulers.parallel()))
                .blockLast();
            assertThat(api.calls()).as("three users, two calls each").isEqualTo(6);
        });
    }

    @Test
    void aCompletableFutureMethodIsDecidedWhenCalledAndADenialIsAFailedFuture() throws Exception {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            assertThat(api.future("eve").get()).isEqualTo("future eve");
            CompletableFuture<String> denied = api.future("eve");
            assertThat(denied).isCompletedExceptionally();
            assertThatExceptionOfType(ExecutionException.class).isThrownBy(denied::get)
                .withCauseInstanceOf(RateLimitExceededException.class);
            assertThat(api.calls()).isEqualTo(1);
        });
    }

    @Test
    void aDeniedCompletableFutureReturnsTheFallbacksFuture() throws Exception {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            assertThat(api.futureWithFallback("fay").get()).isEqualTo("served fay");
            assertThat(api.futureWithFallback("fay").get()).isEqualTo("later fay");
        });
    }

    @Test
    void aReactiveAndABlockingCallerOfOneKeyShareOneCount() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            StepVerifier.create(api.mono("gus").subscribeOn(Schedulers.parallel())).expectNextCount(1)
                .verifyComplete();
            assertThat(context.getBean(Limiter.class).allow("mono:gus", TimeUnit.MINUTE, 2).remaining()).isZero();
            assertThat(context.getBean(ReactiveLimiter.class).allow("mono:gus", TimeUnit.MINUTE, 2).block()
                .allowed()).isFalse();
        });
    }

    @Test
    void eachDecisionIsToldToTheListenerInTheSubscribersContext() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            List<LimitResult> told = new java.util.concurrent.CopyOnWriteArrayList<>();
            RateLimitDecisionListener listener = told::add;
            Flux.range(0, 3)
                .concatMap(i -> api.mono("hal").onErrorResume(ex -> Mono.empty()))
                .contextWrite(ctx -> ctx.put(RateLimitDecisionListener.CONTEXT_KEY, listener))
                .subscribeOn(Schedulers.parallel())
                .blockLast();
            assertThat(told).extracting(LimitResult::allowed).containsExactly(true, true, false);
        });
    }

    @Test
    void aMonoMethodTakesItsSpelCostAtSubscriptionAndAnInvalidCostIsAnErrorSignal() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            StepVerifier.create(api.weighted("ivy", List.of(1, 2, 3)).subscribeOn(Schedulers.parallel()))
                .expectNext(3)
                .verifyComplete();
            StepVerifier.create(api.weighted("ivy", List.of(4, 5)).subscribeOn(Schedulers.parallel()))
                .expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(RateLimitExceededException.class)
                    .hasMessageStartingWith("Rate limit exceeded key: weighted:ivy for Api.weighted() (4 per 1m)"))
                .verify();
            StepVerifier.create(api.weighted("ivy", List.of(1, 2, 3, 4, 5)).subscribeOn(Schedulers.parallel()))
                .expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(RateLimitExceededException.class)
                    .hasMessageStartingWith("Rate limit can never pass key: weighted:ivy (4 per 1m)"))
                .verify();
            StepVerifier.create(api.weighted("ivy", List.of()).subscribeOn(Schedulers.parallel()))
                .expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("for key: weighted:ivy evaluated to 0; a call costs at least 1 permit"))
                .verify();
            StepVerifier.create(api.weighted("ivy", List.of(6)).subscribeOn(Schedulers.parallel()))
                .expectNext(1)
                .verifyComplete();
            assertThat(api.calls()).as("the method ran for the allowed subscriptions only").isEqualTo(2);
        });
    }

    static class Api {

        private final AtomicInteger calls = new AtomicInteger();

        int calls() {
            return this.calls.get();
        }

        @RateLimited(key = "#user == null ? null : 'mono:' + #user", per = TimeUnit.MINUTE, count = 2)
        Mono<String> mono(String user) {
            this.calls.incrementAndGet();
            return Mono.fromSupplier(() -> "hello " + user);
        }

        @RateLimited(key = "'mono-unless:' + #user", condition = "!#internal", per = TimeUnit.MINUTE, count = 1)
        Mono<String> monoUnlessInternal(String user, boolean internal) {
            this.calls.incrementAndGet();
            return Mono.fromSupplier(() -> "hello " + user);
        }

        @RateLimited(key = "'future-unless:' + #user", condition = "!#internal", per = TimeUnit.MINUTE, count = 1)
        CompletableFuture<String> futureUnlessInternal(String user, boolean internal) {
            this.calls.incrementAndGet();
            return CompletableFuture.completedFuture("future " + user);
        }

        @RateLimited(key = "'weighted:' + #user", per = TimeUnit.MINUTE, count = 4, cost = "#items.size()")
        Mono<Integer> weighted(String user, List<Integer> items) {
            this.calls.incrementAndGet();
            return Mono.just(items.size());
        }

        @RateLimited(key = "'flux:' + #user", per = TimeUnit.MINUTE, count = 1)
        Flux<Integer> flux(String user) {
            this.calls.incrementAndGet();
            return Flux.just(1, 2, 3);
        }

        @RateLimited(key = "#user", per = TimeUnit.MINUTE, count = 1, fallback = "busy")
        Mono<String> monoWithFallback(String user) {
            return Mono.just("served " + user);
        }

        Mono<String> busy(String user, RateLimitExceededException ex) {
            return Mono.just("busy " + user + ": " + ex.getMessage());
        }

        @RateLimited(key = "'future:' + #user", per = TimeUnit.MINUTE, count = 1)
        CompletableFuture<String> future(String user) {
            this.calls.incrementAndGet();
            return CompletableFuture.completedFuture("future " + user);
        }

        @RateLimited(key = "'future-fallback:' + #user", per = TimeUnit.MINUTE, count = 1, fallback = "later")
        CompletableFuture<String> futureWithFallback(String user) {
            return CompletableFuture.completedFuture("served " + user);
        }

        CompletableFuture<String> later(String user) {
            return CompletableFuture.completedFuture("later " + user);
        }
    }
}
