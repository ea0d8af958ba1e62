package io.pielock.interceptor;

import java.lang.reflect.Method;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Applies {@link RateLimitInterceptor} to methods that carry {@code @RateLimited}. Matching reads (and
 * validates) the annotations, so a bad one fails the context while beans are being proxied.
 */
public class RateLimitAdvisor extends AbstractPointcutAdvisor {

    private final transient Pointcut pointcut;

    private final transient RateLimitInterceptor interceptor;

    /**
     * @param operations the annotation metadata
     * @param interceptor the advice
     * @param order the advisor's order; lower runs further out (outside {@code @DistributedLocked} by default)
     */
    public RateLimitAdvisor(RateLimitOperationSource operations, RateLimitInterceptor interceptor, int order) {
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
    public RateLimitInterceptor getAdvice() {
        return this.interceptor;
    }
}
