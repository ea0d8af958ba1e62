package io.pielock.interceptor;

import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockTemplate;
import io.pielock.lock.ReactiveLockTemplate;

/**
 * Runs {@code @DistributedLocked} methods through {@link LockTemplate}: evaluates the key, takes the lock
 * (or calls the fallback), and hands the call to {@link LockTemplate#executeHolding}. Methods whose result
 * completes later ({@code Mono}, {@code Flux}, {@code CompletionStage}) go to {@link ReactiveLockTemplate}
 * instead, which holds the lock until the result completes ({@link ReactiveLockedCalls}). All policy lives in the
 * templates.
 */
public class DistributedLockInterceptor implements MethodInterceptor {

    private final LockOperationSource operations;

    private final KeyExpressions keys;

    private final Supplier<LockTemplate> lockTemplate;

    private final ReactiveLockedCalls asynchronous;

    /**
     * @param operations the annotation metadata
     * @param keys evaluates key expressions
     * @param lockTemplate the template, looked up on first use (so creating the interceptor early does not
     *        create the connection factory early)
     */
    public DistributedLockInterceptor(LockOperationSource operations, KeyExpressions keys,
            Supplier<LockTemplate> lockTemplate) {
        this(operations, keys, lockTemplate, null);
    }

    /**
     * @param operations the annotation metadata
     * @param keys evaluates key expressions
     * @param lockTemplate the template, looked up on first use (so creating the interceptor early does not
     *        create the connection factory early)
     * @param reactiveLockTemplate the template for methods with asynchronous results, looked up on first use;
     *        {@code null} when Reactor is not on the class path (such methods are then refused at startup)
     */
    public DistributedLockInterceptor(LockOperationSource operations, KeyExpressions keys,
            Supplier<LockTemplate> lockTemplate, Supplier<ReactiveLockTemplate> reactiveLockTemplate) {
        this.operations = operations;
        this.keys = keys;
        this.lockTemplate = lockTemplate;
        this.asynchronous = (reactiveLockTemplate != null) ? new ReactiveLockedCalls(keys, reactiveLockTemplate)
                : null;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        LockOperation operation = this.operations.getOperation(invocation);
        if (operation == null) {
            return invocation.proceed();
        }
        if (operation.result().isAsynchronous()) {
            return asynchronous(operation).invoke(operation, invocation);
        }
        Object target = invocation.getThis();
        Object[] args = invocation.getArguments();
        String key = operation.prefix()
                + this.keys.evaluate(operation.key(), operation.keyText(), operation.method(), target, args);
        LockTemplate template = this.lockTemplate.get();
        LockHandle handle;
        try {
            handle = template.lock(key, operation.options(template.defaults()));
        }
        catch (LockAcquisitionException ex) {
            LockAcquisitionException named = ex.forMethod(operation.method());
            if (operation.fallback() == null) {
                throw named;
            }
            return operation.fallback().invoke(target, args, named);
        }
        return template.executeHolding(handle, invocation::proceed);
    }

    private ReactiveLockedCalls asynchronous(LockOperation operation) {
        if (this.asynchronous == null) {
            throw new IllegalStateException(LockOperationSource.ANNOTATION + " on " + operation.name() + " returns "
                    + operation.method().getReturnType().getSimpleName() + ", which needs a ReactiveLockTemplate to "
                    + "hold the lock until the result completes, but this interceptor was created without one");
        }
        return this.asynchronous;
    }
}
