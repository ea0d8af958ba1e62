package io.pielock.interceptor;

import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockTemplate;

/**
 * Runs {@code @DistributedLocked} methods through {@link LockTemplate}: evaluates the key, takes the lock
 * (or calls the fallback), and hands the call to {@link LockTemplate#executeHolding}. All policy lives in the
 * template.
 */
public class DistributedLockInterceptor implements MethodInterceptor {

    private final LockOperationSource operations;

    private final KeyExpressions keys;

    private final Supplier<LockTemplate> lockTemplate;

    /**
     * @param operations the annotation metadata
     * @param keys evaluates key expressions
     * @param lockTemplate the template, looked up on first use (so creating the interceptor early does not
     *        create the connection factory early)
     */
    public DistributedLockInterceptor(LockOperationSource operations, KeyExpressions keys,
            Supplier<LockTemplate> lockTemplate) {
        this.operations = operations;
        this.keys = keys;
        this.lockTemplate = lockTemplate;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        LockOperation operation = this.operations.getOperation(invocation);
        if (operation == null) {
            return invocation.proceed();
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
}
