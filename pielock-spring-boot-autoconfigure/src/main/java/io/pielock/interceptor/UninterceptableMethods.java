package io.pielock.interceptor;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import io.pielock.annotation.DistributedLocked;
import io.pielock.annotation.RateLimited;
import io.pielock.annotation.RateLimits;

/**
 * Warns, once per method at startup, about {@code @DistributedLocked} and {@code @RateLimited} methods that Spring's
 * proxies can never intercept, so that they would run with no lock and no limit, silently: private, final and
 * static methods, and annotated methods of a bean that was not proxied at all. Runs after the proxy creators, so
 * it sees each bean as the application will.
 * <p>
 * What cannot be seen here is a call through {@code this} (self-invocation): it bypasses the proxy too. The
 * README's "What can be locked" lists each case and its fix.
 */
public class UninterceptableMethods implements BeanPostProcessor, Ordered {

    private static final Log logger = LogFactory.getLog(UninterceptableMethods.class);

    private static final Set<Class<? extends Annotation>> ANNOTATIONS = Set.of(DistributedLocked.class,
            RateLimited.class, RateLimits.class);

    private final Set<Method> warned = ConcurrentHashMap.newKeySet();

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
        if (!AnnotationUtils.isCandidateClass(type, ANNOTATIONS)) {
            return bean;
        }
        boolean proxied = AopUtils.isAopProxy(bean);
        ReflectionUtils.doWithMethods(type, method -> check(beanName, method, proxied),
                method -> !method.isBridge() && !method.isSynthetic() && method.getDeclaringClass() != Object.class);
        return bean;
    }

    private void check(String beanName, Method method, boolean proxied) {
        String annotation = annotation(method);
        if (annotation == null) {
            return;
        }
        String problem = problem(method, proxied);
        if (problem != null && this.warned.add(method)) {
            logger.warn(annotation + " on " + AnnotationConfigurationException.describe(method) + " (bean '"
                    + beanName + "') has no effect: " + problem + ". Calls run with no lock and no rate limit");
        }
    }

    /**
     * @param method an annotated method
     * @param proxied whether its bean is an AOP proxy
     * @return why a proxy cannot intercept the method, or null if it can
     */
    public static String problem(Method method, boolean proxied) {
        int modifiers = method.getModifiers();
        if (Modifier.isPrivate(modifiers)) {
            return "the method is private, and Spring's proxies only intercept calls to public (or, with class-based "
                    + "proxies, protected and package-private) methods; make it public and call it through the bean";
        }
        if (Modifier.isStatic(modifiers)) {
            return "the method is static, and proxies intercept only instance methods; make it an instance method "
                    + "of the bean";
        }
        if (Modifier.isFinal(modifiers)) {
            return "the method is final, and a class-based (CGLIB) proxy cannot override it; remove 'final'";
        }
        if (!proxied) {
            return "the bean was not proxied (is AOP auto-proxying switched off, or the bean created before "
                    + "the proxy creators?); let Spring create and proxy it";
        }
        return null;
    }

    private static String annotation(Method method) {
        if (AnnotatedElementUtils.hasAnnotation(method, DistributedLocked.class)) {
            return "@DistributedLocked";
        }
        if (AnnotatedElementUtils.hasAnnotation(method, RateLimited.class)
                || AnnotatedElementUtils.hasAnnotation(method, RateLimits.class)) {
            return "@RateLimited";
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
