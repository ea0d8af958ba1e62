package io.pielock.interceptor;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;

/**
 * Reads an annotation once per method and target class, and caches the resulting operation (or that there is
 * none). Parsing happens when beans are proxied, so invalid attributes fail the application context at
 * startup; calls then only look the operation up.
 *
 * @param <O> the operation type
 */
public abstract class OperationSource<O> {

    private static final Object NONE = new Object();

    private final Map<MethodClassKey, Object> cache = new ConcurrentHashMap<>(256);

    /**
     * @param method the invoked method (perhaps an interface method)
     * @param targetClass the bean's class
     * @return the operation, or {@code null} if the method is not annotated
     * @throws AnnotationConfigurationException if the annotation's attributes cannot work
     */
    @SuppressWarnings("unchecked")
    public O getOperation(Method method, Class<?> targetClass) {
        if (method.getDeclaringClass() == Object.class) {
            return null;
        }
        MethodClassKey cacheKey = new MethodClassKey(method, targetClass);
        Object cached = this.cache.get(cacheKey);
        if (cached == null) {
            O operation = find(method, targetClass);
            cached = (operation != null) ? operation : NONE;
            this.cache.put(cacheKey, cached);
        }
        return (cached == NONE) ? null : (O) cached;
    }

    /**
     * @param invocation an intercepted call
     * @return the operation of the invoked method on the bean's class, or {@code null} if it is not annotated
     */
    public O getOperation(MethodInvocation invocation) {
        Object target = invocation.getThis();
        return getOperation(invocation.getMethod(),
                (target != null) ? AopProxyUtils.ultimateTargetClass(target) : null);
    }

    private O find(Method method, Class<?> targetClass) {
        Class<?> userClass = (targetClass != null) ? targetClass : method.getDeclaringClass();
        Method specific = AopUtils.getMostSpecificMethod(method, userClass);
        O operation = parse(specific, userClass);
        if (operation == null && !specific.equals(method)) {
            operation = parse(method, userClass);
        }
        return operation;
    }

    /**
     * @param method the method to read
     * @param targetClass the bean's class
     * @return the validated operation, or {@code null} if the method carries no annotation
     * @throws AnnotationConfigurationException if the annotation's attributes cannot work
     */
    protected abstract O parse(Method method, Class<?> targetClass);
}
