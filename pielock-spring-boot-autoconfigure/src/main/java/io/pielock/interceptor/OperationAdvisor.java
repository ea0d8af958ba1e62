package io.pielock.interceptor;

import java.lang.reflect.Method;

import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Applies an interceptor to the methods for which an {@link OperationSource} finds an operation. Matching reads
 * (and validates) the annotation, so a bad one fails the context while beans are being proxied.
 *
 * @param <I> the interceptor type
 */
public abstract class OperationAdvisor<I extends MethodInterceptor> extends AbstractPointcutAdvisor {

    private final transient Pointcut pointcut;

    private final transient I interceptor;

    /**
     * @param operations the annotation metadata
     * @param interceptor the advice
     * @param order the advisor's order; lower runs further out
     */
    protected OperationAdvisor(OperationSource<?> operations, I interceptor, int order) {
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
    public I getAdvice() {
        return this.interceptor;
    }
}
