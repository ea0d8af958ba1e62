package io.pielock.actuate;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ReflectionUtils;

import io.pielock.actuate.PielockEndpoint.KeyLimitsDescriptor;
import io.pielock.actuate.PielockEndpoint.LimitDescriptor;
import io.pielock.actuate.PielockEndpoint.LockedMethodDescriptor;
import io.pielock.actuate.PielockEndpoint.NamedLimitUseDescriptor;
import io.pielock.actuate.PielockEndpoint.RateLimitedMethodDescriptor;
import io.pielock.annotation.DistributedLocked;
import io.pielock.annotation.RateLimited;
import io.pielock.annotation.RateLimits;
import io.pielock.interceptor.AnnotationConfigurationException;
import io.pielock.interceptor.LockOperation;
import io.pielock.interceptor.LockOperationSource;
import io.pielock.interceptor.RateLimitOperation;
import io.pielock.interceptor.RateLimitOperationSource;
import io.pielock.interceptor.UninterceptableMethods;
import io.pielock.lock.LockOptions;

/**
 * Finds the {@code @DistributedLocked} and {@code @RateLimited} methods of the application's beans when the
 * endpoint is read (never on a call's path): it looks at every singleton created so far, and asks the operation
 * sources, which the interceptors use, for each annotated method. So it reports what the interceptors apply, with
 * placeholders resolved and annotations validated (the sources' cache serves methods already seen), and names the
 * methods that are never intercepted (private, final, static, or of a bean that was not proxied).
 * <p>
 * Lazy beans not yet created, prototypes and scoped beans are not listed: no instance of them exists to look at.
 */
public class AnnotatedMethods {

    private static final Set<Class<? extends java.lang.annotation.Annotation>> ANNOTATIONS = Set
        .of(DistributedLocked.class, RateLimited.class, RateLimits.class);

    private final ConfigurableListableBeanFactory beanFactory;

    private final LockOperationSource lockOperations;

    private final RateLimitOperationSource rateLimitOperations;

    /**
     * @param beanFactory the application's beans
     * @param lockOperations reads {@code @DistributedLocked}; {@code null} lists none
     * @param rateLimitOperations reads {@code @RateLimited}; {@code null} lists none
     */
    public AnnotatedMethods(ConfigurableListableBeanFactory beanFactory, LockOperationSource lockOperations,
            RateLimitOperationSource rateLimitOperations) {
        this.beanFactory = beanFactory;
        this.lockOperations = lockOperations;
        this.rateLimitOperations = rateLimitOperations;
    }

    /**
     * @param defaults the lock options a method's attributes override
     * @return the {@code @DistributedLocked} methods, ordered by bean and method
     */
    List<LockedMethodDescriptor> lockedMethods(LockOptions defaults) {
        List<LockedMethodDescriptor> found = new ArrayList<>();
        if (this.lockOperations != null) {
            forEachAnnotatedMethod((bean, type, proxied, method) -> {
                if (!AnnotatedElementUtils.hasAnnotation(method, DistributedLocked.class)) {
                    return;
                }
                String problem = UninterceptableMethods.problem(method, proxied);
                try {
                    LockOperation operation = this.lockOperations.getOperation(method, type);
                    if (operation == null) {
                        return;
                    }
                    found.add(LockedMethodDescriptor.of(bean, describe(method), operation, defaults, problem));
                }
                catch (AnnotationConfigurationException ex) {
                    found.add(LockedMethodDescriptor.invalid(bean, describe(method), ex.getMessage()));
                }
            });
        }
        found.sort(Comparator.comparing(LockedMethodDescriptor::bean).thenComparing(LockedMethodDescriptor::method));
        return found;
    }

    /** @return the {@code @RateLimited} methods, ordered by bean and method */
    List<RateLimitedMethodDescriptor> rateLimitedMethods() {
        List<RateLimitedMethodDescriptor> found = new ArrayList<>();
        if (this.rateLimitOperations != null) {
            forEachAnnotatedMethod((bean, type, proxied, method) -> {
                if (!AnnotatedElementUtils.hasAnnotation(method, RateLimited.class)
                        && !AnnotatedElementUtils.hasAnnotation(method, RateLimits.class)) {
                    return;
                }
                String problem = UninterceptableMethods.problem(method, proxied);
                try {
                    RateLimitOperation operation = this.rateLimitOperations.getOperation(method, type);
                    if (operation == null) {
                        return;
                    }
                    List<KeyLimitsDescriptor> keys = operation.rules().stream()
                        .map(rule -> new KeyLimitsDescriptor(rule.text(), rule.expression() != null,
                                rule.limits().stream().map(LimitDescriptor::of).toList(),
                                (rule.condition() != null) ? rule.condition().text() : null,
                                rule.named().stream()
                                    .map(named -> new NamedLimitUseDescriptor(named.text(),
                                            named.expression() != null))
                                    .toList()))
                        .toList();
                    found.add(new RateLimitedMethodDescriptor(bean, describe(method), keys, operation.costText(),
                            (operation.fallback() != null) ? operation.fallback().getMethod().getName() : null,
                            problem));
                }
                catch (AnnotationConfigurationException ex) {
                    found.add(new RateLimitedMethodDescriptor(bean, describe(method), List.of(), null, null,
                            ex.getMessage()));
                }
            });
        }
        found.sort(Comparator.comparing(RateLimitedMethodDescriptor::bean)
            .thenComparing(RateLimitedMethodDescriptor::method));
        return found;
    }

    private void forEachAnnotatedMethod(MethodCallback callback) {
        for (String name : this.beanFactory.getBeanDefinitionNames()) {
            Object bean = this.beanFactory.containsSingleton(name) ? this.beanFactory.getSingleton(name) : null;
            if (bean == null) {
                continue;
            }
            Class<?> type = AopProxyUtils.ultimateTargetClass(bean);
            if (!AnnotationUtils.isCandidateClass(type, ANNOTATIONS)) {
                continue;
            }
            boolean proxied = AopUtils.isAopProxy(bean);
            for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type,
                    m -> !m.isBridge() && !m.isSynthetic() && m.getDeclaringClass() != Object.class)) {
                callback.accept(name, type, proxied, method);
            }
        }
    }

    /** @return the method as error messages name it: {@code com.example.Shop.reserve(String, String)} */
    static String describe(Method method) {
        StringBuilder text = new StringBuilder(method.getDeclaringClass().getName()).append('.')
            .append(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            text.append(i > 0 ? ", " : "").append(types[i].getSimpleName());
        }
        return text.append(')').toString();
    }

    @FunctionalInterface
    private interface MethodCallback {

        void accept(String bean, Class<?> type, boolean proxied, Method method);
    }
}
