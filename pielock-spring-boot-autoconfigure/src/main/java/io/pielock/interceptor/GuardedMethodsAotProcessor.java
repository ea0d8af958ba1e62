package io.pielock.interceptor;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

import io.pielock.annotation.DistributedLocked;
import io.pielock.annotation.RateLimited;
import io.pielock.annotation.RateLimits;
import io.pielock.limiter.RateLimitExceededException;
import io.pielock.lock.LockAcquisitionException;

/**
 * Registers, ahead of time and for each bean whose class (or one of its superclasses or interfaces) has
 * {@link DistributedLocked} or {@link RateLimited} methods, what runs reflectively when they are called: the
 * annotated methods themselves (Spring AOP invokes the target method through reflection, and key expressions
 * read its parameter names) and the fallbacks they name ({@link FallbackMethod} finds and invokes them by
 * reflection). Fallbacks are resolved with the runtime's own rules, so one that does not exist fails the build
 * with the message it would otherwise fail the start with. Registered through
 * {@code META-INF/spring/aot.factories}.
 */
final class GuardedMethodsAotProcessor implements BeanRegistrationAotProcessor {

    private static final Set<Class<? extends Annotation>> ANNOTATIONS = Set.of(DistributedLocked.class,
            RateLimited.class, RateLimits.class);

    @Override
    public BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        Set<Method> methods = reflectivelyCalled(registeredBean.getBeanClass());
        if (methods.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> register(generationContext.getRuntimeHints().reflection(), methods);
    }

    private static void register(ReflectionHints reflection, Set<Method> methods) {
        for (Method method : methods) {
            reflection.registerMethod(method, ExecutableMode.INVOKE);
        }
    }

    /**
     * @param beanClass a bean's class
     * @return its annotated methods (as declared, and as implemented by the bean's class) and their fallbacks;
     *         empty if it has none
     * @throws AnnotationConfigurationException if a fallback cannot be found
     */
    static Set<Method> reflectivelyCalled(Class<?> beanClass) {
        Class<?> type = ClassUtils.getUserClass(beanClass);
        Set<Method> methods = new LinkedHashSet<>();
        for (Class<?> declaring : hierarchy(type)) {
            if (!AnnotationUtils.isCandidateClass(declaring, ANNOTATIONS)) {
                continue;
            }
            for (Method method : declaring.getDeclaredMethods()) {
                if (!method.isBridge() && !method.isSynthetic()) {
                    collect(method, type, methods);
                }
            }
        }
        return methods;
    }

    private static List<Class<?>> hierarchy(Class<?> type) {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
            hierarchy.add(current);
        }
        hierarchy.addAll(ClassUtils.getAllInterfacesForClassAsSet(type));
        return hierarchy;
    }

    private static void collect(Method method, Class<?> type, Set<Method> into) {
        DistributedLocked locked = AnnotatedElementUtils.findMergedAnnotation(method, DistributedLocked.class);
        if (locked != null) {
            add(method, type, LockOperationSource.ANNOTATION, locked.fallback(), LockAcquisitionException.class,
                    into);
        }
        for (RateLimited limited : AnnotatedElementUtils.findMergedRepeatableAnnotations(method, RateLimited.class,
                RateLimits.class)) {
            add(method, type, RateLimitOperationSource.ANNOTATION, limited.fallback(),
                    RateLimitExceededException.class, into);
        }
    }

    private static void add(Method annotated, Class<?> type, String annotation, String fallbackName,
            Class<? extends Throwable> exceptionType, Set<Method> into) {
        Method implementation = ClassUtils.getMostSpecificMethod(annotated, type);
        into.add(annotated);
        into.add(implementation);
        FallbackMethod fallback = FallbackMethod.resolve(annotation, implementation, type, fallbackName,
                exceptionType);
        if (fallback != null) {
            into.add(fallback.getMethod());
        }
    }
}
