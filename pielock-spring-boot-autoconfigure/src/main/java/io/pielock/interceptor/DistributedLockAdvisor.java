package io.pielock.interceptor;

import java.lang.reflect.Method;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Applies {@link DistributedLockInterceptor} to methods that carry {@code @DistributedLocked}. Matching reads
 * (and validates) the annotation, so a bad one fails the context while beans are being proxied.
 */
public class DistributedLockAdvisor extends AbstractPointcutAdvisor {

    private final transient Pointcut pointcut;

    private final transient DistributedLockInterceptor interceptor;

    /**
     * @param operations the annotation metadata
     * @param interceptor the advice
     * @param order the advisor's order; lower runs further out (before {@code @Transactional} by default)
     */
    public DistributedLockAdvisor(LockOperationSource operations, DistributedLockInterceptor interceptor,
            int order) {
        this.pointcut = new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> targetClass) {
                return operations.getOperation(method, targetClass) != null;
            }
        };
        this.interceptor = interceptor;
        setOrder(order);
    }

    @Override
    public Pointcut getPointcut() {
        return this.pointcut;
    }

    @Override
    public DistributedLockInterceptor getAdvice() {
        return this.interceptor;
    }
}
