package io.pielock.interceptor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * A fallback named by an annotation: a method of the same bean with the annotated method's parameters,
 * optionally followed by the exception that explains why the guarded method did not run. Resolved and
 * checked once, at startup.
 */
public final class FallbackMethod {

    private final Method method;

    private final boolean takesException;

    private FallbackMethod(Method method, boolean takesException) {
        this.method = method;
        this.takesException = takesException;
        ReflectionUtils.makeAccessible(method);
    }

    /**
     * @param annotation the annotation's name, for error messages
     * @param annotated the annotated method
     * @param targetClass the bean's class
     * @param name the fallback's name; empty for none
     * @param exceptionType the exception the fallback may take as last parameter
     * @return the fallback, or {@code null} when {@code name} is empty
     * @throws AnnotationConfigurationException if no suitable method exists
     */
    static FallbackMethod resolve(String annotation, Method annotated, Class<?> targetClass, String name,
            Class<? extends Throwable> exceptionType) {
        if (name.isEmpty()) {
            return null;
        }
        Class<?>[] params = annotated.getParameterTypes();
        for (Method candidate : ReflectionUtils.getUniqueDeclaredMethods(targetClass)) {
            if (!candidate.getName().equals(name) || candidate.equals(annotated)
                    || !returnFits(candidate, annotated)) {
                continue;
            }
            Class<?>[] types = candidate.getParameterTypes();
            if (Arrays.equals(types, params)) {
                return new FallbackMethod(candidate, false);
            }
            if (types.length == params.length + 1 && Arrays.equals(Arrays.copyOf(types, params.length), params)
                    && types[params.length].isAssignableFrom(exceptionType)) {
                return new FallbackMethod(candidate, true);
            }
        }
        throw new AnnotationConfigurationException(annotation, annotated, "fallback method '" + name
                + "' not found on " + targetClass.getName() + ": it must take the same parameters ("
                + Arrays.stream(params).map(Class::getSimpleName).toList() + "), optionally followed by a "
                + exceptionType.getSimpleName() + ", and return " + annotated.getReturnType().getSimpleName(),
                null);
    }

    private static boolean returnFits(Method candidate, Method annotated) {
        Class<?> wanted = annotated.getReturnType();
        Class<?> given = candidate.getReturnType();
        if (wanted == void.class) {
            return true;
        }
        return given != void.class && ClassUtils.isAssignable(wanted, given);
    }

    /**
     * Calls the fallback.
     * @param target the bean
     * @param args the guarded call's arguments
     * @param reason why the guarded method did not run
     * @return the fallback's result
     * @throws Throwable whatever the fallback throws
     */
    public Object invoke(Object target, Object[] args, Throwable reason) throws Throwable {
        Object[] actual = args;
        if (this.takesException) {
            actual = Arrays.copyOf(args, args.length + 1);
            actual[args.length] = reason;
        }
        try {
            return this.method.invoke(target, actual);
        }
        catch (InvocationTargetException ex) {
            throw ex.getTargetException();
        }
    }

    /** @return the fallback method */
    public Method getMethod() {
        return this.method;
    }
}
