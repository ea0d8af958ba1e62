package io.pielock.interceptor;

import java.lang.reflect.Method;

/**
 * A pielock annotation whose attributes cannot work. Thrown while the application context starts (when the
 * bean is proxied), so a bad annotation never survives startup; the message names the method, the attribute
 * and how to fix it.
 */
public class AnnotationConfigurationException extends IllegalStateException {

    private final transient Method method;

    private final String problem;

    /**
     * @param annotation the annotation's simple name, for example {@code "@DistributedLocked"}
     * @param method the annotated method
     * @param problem what is wrong and how to fix it
     * @param cause the underlying error, or {@code null}
     */
    public AnnotationConfigurationException(String annotation, Method method, String problem, Throwable cause) {
        super("Invalid " + annotation + " on " + describe(method) + ": " + problem, cause);
        this.method = method;
        this.problem = problem;
    }

    /** @return the annotated method */
    public Method getMethod() {
        return this.method;
    }

    /** @return what is wrong, without the method */
    public String getProblem() {
        return this.problem;
    }

    static String describe(Method method) {
        StringBuilder text = new StringBuilder(method.getDeclaringClass().getName()).append('.')
            .append(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            text.append(i > 0 ? ", " : "").append(types[i].getSimpleName());
        }
        return text.append(')').toString();
    }
}
