package io.pielock.interceptor;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.pielock.limiter.KeyedLimits;
import io.pielock.limiter.LimitResult;
import io.pielock.limiter.LimiterUnavailableException;
import io.pielock.limiter.RateLimitExceededException;
import io.pielock.limiter.ReactiveLimiter;

/**
 * The reactive half of {@link RateLimitInterceptor}, for methods that return a {@code Mono} or a {@code Flux}:
 * loaded only when such a method is called, so Reactor stays optional. Each subscription to the result is one
 * call: the {@link ReactiveLimiter} decides it, then the method is invoked (the rest of the interceptor chain
 * and the target, through an {@linkplain ProxyMethodInvocation#invocableClone() invocable clone} of the call) and
 * its result subscribed to; a denial is the result's error signal ({@link RateLimitExceededException}), or the
 * fallback's result. Nothing is decided, evaluated or thrown when the method is called: key expressions are
 * evaluated at subscription with the call's arguments, and their errors are error signals too.
 * <p>
 * Each decision is told to the application's {@link RateLimitDecisionListener}s and to the one the subscriber's
 * Reactor {@code Context} carries under {@link RateLimitDecisionListener#CONTEXT_KEY} (WebFlux: the exchange's,
 * for its {@code RateLimit} response fields).
 */
final class ReactiveRateLimitCalls {

    private final KeyExpressions keys;

    private final Supplier<ReactiveLimiter> limiter;

    private final Supplier<RateLimitDecisionListener> listener;

    ReactiveRateLimitCalls(KeyExpressions keys, Supplier<ReactiveLimiter> limiter,
            Supplier<RateLimitDecisionListener> listener) {
        this.keys = keys;
        this.limiter = limiter;
        this.listener = listener;
    }

    /**
     * @param invocation the call (a proxy's, so that it can be invoked again at each subscription)
     * @param operation the method's {@code @RateLimited} operation ({@code Mono} or {@code Flux} result)
     * @return the guarded result, of the method's type
     */
    Object invoke(MethodInvocation invocation, RateLimitOperation operation) {
        ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance()
            .getAdapter(operation.method().getReturnType());
        if (!(invocation instanceof ProxyMethodInvocation call) || adapter == null) {
            throw new IllegalStateException(RateLimitOperationSource.ANNOTATION + " on "
                    + AnnotationConfigurationException.describe(operation.method())
                    + " needs a Spring AOP proxy call and a reactive result type to decide at subscription, but was "
                    + "called through " + invocation.getClass().getName());
        }
        Object target = invocation.getThis();
        Object[] args = invocation.getArguments();
        Mono<LimitResult> decision = Mono.defer(() -> {
            List<KeyedLimits> keys = operation.keys(this.keys, limiter(operation).catalog(), target, args);
            // every limit's condition is false: neither counted nor limited (an empty decision runs the method)
            return keys.isEmpty() ? Mono.<LimitResult>empty()
                    : limiter(operation).allow(keys, operation.name(), operation.cost(this.keys, target, args, keys));
        })
            .onErrorMap(LimiterUnavailableException.class, ex -> ex.forMethod(operation.method()))
            .flatMap(result -> Mono.deferContextual(context -> {
                this.listener.get().decided(result);
                context.<RateLimitDecisionListener>getOrEmpty(RateLimitDecisionListener.CONTEXT_KEY)
                    .ifPresent(listener -> listener.decided(result));
                return Mono.just(result);
            }));
        if (adapter.isMultiValue()) {
            return adapter.fromPublisher(decision.map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMapMany(result -> Flux.from(result.isEmpty() || result.get().allowed() ? proceed(call, adapter)
                        : denied(result.get(), operation, target, args, adapter))));
        }
        return adapter.fromPublisher(decision.map(Optional::of).defaultIfEmpty(Optional.empty())
            .flatMap(result -> Mono.from(result.isEmpty() || result.get().allowed() ? proceed(call, adapter)
                    : denied(result.get(), operation, target, args, adapter))));
    }

    private ReactiveLimiter limiter(RateLimitOperation operation) {
        ReactiveLimiter limiter = this.limiter.get();
        if (limiter == null) {
            throw new IllegalStateException(RateLimitOperationSource.ANNOTATION + " on "
                    + AnnotationConfigurationException.describe(operation.method())
                    + ": no ReactiveLimiter to decide a reactive result (declare one)");
        }
        return limiter;
    }

    /** Invokes the rest of the chain and the method for this subscription, and hands over its result. */
    private static Publisher<?> proceed(ProxyMethodInvocation call, ReactiveAdapter adapter) {
        try {
            return publisher(call.invocableClone().proceed(), adapter);
        }
        catch (Throwable ex) {
            return Mono.error(ex);
        }
    }

    private static Publisher<?> denied(LimitResult result, RateLimitOperation operation, Object target,
            Object[] args, ReactiveAdapter adapter) {
        RateLimitExceededException denied = new RateLimitExceededException(result, operation.method());
        if (operation.fallback() == null) {
            return Mono.error(denied);
        }
        try {
            return publisher(operation.fallback().invoke(target, args, denied), adapter);
        }
        catch (Throwable ex) {
            return Mono.error(ex);
        }
    }

    private static Publisher<?> publisher(Object result, ReactiveAdapter adapter) {
        return (result != null) ? adapter.toPublisher(result) : Mono.empty();
    }
}
