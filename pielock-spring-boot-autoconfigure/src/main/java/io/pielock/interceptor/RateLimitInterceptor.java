package io.pielock.interceptor;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.beans.factory.SmartInitializingSingleton;

import io.pielock.limiter.KeyedLimits;
import io.pielock.limiter.LimitResult;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.LimiterUnavailableException;
import io.pielock.limiter.RateLimitExceededException;
import io.pielock.limiter.ReactiveLimiter;

/**
 * Runs {@code @RateLimited} methods through {@link Limiter}: evaluates the keys, asks the limiter, tells the
 * {@link RateLimitDecisionListener} the decision, and proceeds, calls the fallback, or throws. All policy lives in
 * the limiter.
 * <p>
 * Asynchronous results are decided at their start, and a denial is delivered through the result, never thrown:
 * <ul>
 * <li>{@code CompletionStage} / {@code CompletableFuture}: decided by the {@link Limiter} when the method is called,
 * on the calling thread (so the method's body runs where it would without the annotation); a denial is a failed
 * result ({@link RateLimitExceededException}), or the fallback's result, as are key and store errors;</li>
 * <li>{@code Mono} / {@code Flux}: decided by the {@code ReactiveLimiter} at each subscription, without blocking;
 * the method is invoked only once the call is allowed (see {@code ReactiveRateLimitCalls}). An application with
 * such methods and no {@code ReactiveLimiter} fails at startup.</li>
 * </ul>
 */
public class RateLimitInterceptor implements MethodInterceptor, SmartInitializingSingleton {

    private final RateLimitOperationSource operations;

    private final KeyExpressions keys;

    private final Supplier<Limiter> limiter;

    private final Supplier<RateLimitDecisionListener> listener;

    /** Supplies the {@code ReactiveLimiter}, or {@code null} if the application has none. */
    private final Supplier<ReactiveLimiter> reactiveLimiter;

    /** The reactive half, created on the first reactive call (it needs Reactor). */
    private volatile Object reactiveCalls;

    /**
     * An interceptor that tells nobody its decisions.
     * @param operations the annotation metadata
     * @param keys evaluates key expressions
     * @param limiter the limiter, looked up on first use (so creating the interceptor early does not create the
     *        connection factory early)
     */
    public RateLimitInterceptor(RateLimitOperationSource operations, KeyExpressions keys,
            Supplier<Limiter> limiter) {
        this(operations, keys, limiter, () -> RateLimitDecisionListener.NONE);
    }

    /**
     * @param operations the annotation metadata
     * @param keys evaluates key expressions
     * @param limiter the limiter, looked up on first use (so creating the interceptor early does not create the
     *        connection factory early)
     * @param listener told every decision, looked up on first use like the limiter
     */
    public RateLimitInterceptor(RateLimitOperationSource operations, KeyExpressions keys,
            Supplier<Limiter> limiter, Supplier<RateLimitDecisionListener> listener) {
        this(operations, keys, limiter, () -> null, listener);
    }

    /**
     * @param operations the annotation metadata
     * @param keys evaluates key expressions
     * @param limiter the limiter, looked up on first use (so creating the interceptor early does not create the
     *        connection factory early)
     * @param reactiveLimiter the {@link ReactiveLimiter} for {@code Mono} and {@code Flux}
     *        methods, looked up on first use; it supplies {@code null} when the application has none (then such
     *        methods fail the application's startup)
     * @param listener told every decision, looked up on first use like the limiter
     */
    public RateLimitInterceptor(RateLimitOperationSource operations, KeyExpressions keys,
            Supplier<Limiter> limiter, Supplier<ReactiveLimiter> reactiveLimiter,
            Supplier<RateLimitDecisionListener> listener) {
        this.operations = operations;
        this.keys = keys;
        this.limiter = limiter;
        this.reactiveLimiter = reactiveLimiter;
        this.listener = listener;
    }

    /**
     * Fails the application's startup if a {@code @RateLimited} method returns a {@code Mono} or {@code Flux} and
     * there is no {@code ReactiveLimiter} to decide it.
     */
    @Override
    public void afterSingletonsInstantiated() {
        // looked up once now, on the startup thread: the first look-up takes a lock, which reactive calls arriving
        // together on event loops would otherwise contend for (a blocking call there)
        this.listener.get();
        Set<Method> reactive = this.operations.getReactiveMethods();
        if (!reactive.isEmpty() && this.reactiveLimiter.get() == null) {
            Method method = reactive.iterator().next();
            throw new AnnotationConfigurationException(RateLimitOperationSource.ANNOTATION, method, "it returns "
                    + method.getReturnType().getSimpleName() + ", which is decided at subscription by a "
                    + "ReactiveLimiter, but the application has none. pielock creates one when Reactor is on the "
                    + "class path and the store is Redis (with a ReactiveRedisConnectionFactory, as Lettuce's is) "
                    + "or memory; with a store of your own, declare a ReactiveLimiter bean over a "
                    + "ReactiveRateLimitStore. (" + reactive.size() + " such method(s).)", null);
        }
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        RateLimitOperation operation = this.operations.getOperation(invocation);
        if (operation == null) {
            return invocation.proceed();
        }
        return switch (operation.resultKind()) {
            case PLAIN -> decideAround(invocation, operation);
            case COMPLETION_STAGE -> decideAtCall(invocation, operation);
            case REACTIVE -> reactiveCalls().invoke(invocation, operation);
        };
    }

    private Object decideAround(MethodInvocation invocation, RateLimitOperation operation) throws Throwable {
        Object target = invocation.getThis();
        Object[] args = invocation.getArguments();
        List<KeyedLimits> keys = operation.keys(this.keys, this.limiter.get().catalog(), target, args);
        if (keys.isEmpty()) {
            return invocation.proceed(); // every limit's condition is false: neither counted nor limited
        }
        LimitResult result;
        try {
            result = decide(operation, keys, target, args);
        }
        catch (LimiterUnavailableException ex) {
            throw ex.forMethod(operation.method());
        }
        this.listener.get().decided(result);
        if (result.allowed()) {
            return invocation.proceed();
        }
        RateLimitExceededException denied = new RateLimitExceededException(result, operation.method());
        if (operation.fallback() == null) {
            throw denied;
        }
        return operation.fallback().invoke(target, args, denied);
    }

    /**
     * A {@code CompletionStage} method: decided now, on the calling thread; whatever stops the method from running
     * is the failed result (the method's own exceptions are its own).
     */
    private Object decideAtCall(MethodInvocation invocation, RateLimitOperation operation) throws Throwable {
        Object target = invocation.getThis();
        Object[] args = invocation.getArguments();
        LimitResult result;
        try {
            List<KeyedLimits> keys = operation.keys(this.keys, this.limiter.get().catalog(), target, args);
            if (keys.isEmpty()) {
                return invocation.proceed(); // every limit's condition is false: neither counted nor limited
            }
            result = decide(operation, keys, target, args);
        }
        catch (LimiterUnavailableException ex) {
            return CompletableFuture.failedFuture(ex.forMethod(operation.method()));
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
        this.listener.get().decided(result);
        if (result.allowed()) {
            return invocation.proceed();
        }
        RateLimitExceededException denied = new RateLimitExceededException(result, operation.method());
        if (operation.fallback() == null) {
            return CompletableFuture.failedFuture(denied);
        }
        try {
            return operation.fallback().invoke(target, args, denied);
        }
        catch (Throwable ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    private LimitResult decide(RateLimitOperation operation, List<KeyedLimits> keys, Object target, Object[] args) {
        return this.limiter.get().allow(keys, operation.name(), operation.cost(this.keys, target, args, keys));
    }

    private ReactiveRateLimitCalls reactiveCalls() {
        Object calls = this.reactiveCalls;
        if (calls == null) {
            // two threads may both create one: either will do
            calls = new ReactiveRateLimitCalls(this.keys, this.reactiveLimiter, this.listener);
            this.reactiveCalls = calls;
        }
        return (ReactiveRateLimitCalls) calls;
    }
}
