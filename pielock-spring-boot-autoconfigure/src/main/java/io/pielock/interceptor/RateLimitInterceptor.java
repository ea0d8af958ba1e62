package io.pielock.interceptor;

import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import io.pielock.limiter.LimitResult;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.LimiterUnavailableException;
import io.pielock.limiter.RateLimitExceededException;

/**
 * Runs {@code @RateLimited} methods through {@link Limiter}: evaluates the keys, asks the limiter, tells the
 * {@link RateLimitDecisionListener} the decision, and proceeds, calls the fallback, or throws. All policy lives in
 * the limiter.
 */
public class RateLimitInterceptor implements MethodInterceptor {

    private final RateLimitOperationSource operations;

    private final KeyExpressions keys;

    private final Supplier<Limiter> limiter;

    private final Supplier<RateLimitDecisionListener> listener;

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
        this.operations = operations;
        this.keys = keys;
        this.limiter = limiter;
        this.listener = listener;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        RateLimitOperation operation = this.operations.getOperation(invocation);
        if (operation == null) {
            return invocation.proceed();
        }
        Object target = invocation.getThis();
        Object[] args = invocation.getArguments();
        LimitResult result;
        try {
            result = this.limiter.get().allow(operation.keys(this.keys, target, args), operation.name());
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
}
