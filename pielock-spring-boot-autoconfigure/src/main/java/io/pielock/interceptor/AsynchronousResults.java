package io.pielock.interceptor;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.springframework.core.KotlinDetector;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.annotation.Async;

/**
 * Refuses, at startup, annotated methods whose result completes later than the method returns
 * ({@link CompletionStage}, {@link Future}, Reactor's {@code Mono}/{@code Flux} and every other type Spring's
 * {@link ReactiveAdapterRegistry} knows, Kotlin {@code suspend} functions). The interceptors decide and hold
 * around the method call itself, so on such a method a lock would be released, and a limit decided, before the
 * work they guard has run: rather than run unprotected, the application fails to start and says what to do.
 * <p>
 * An annotation whose interceptor holds or decides around the asynchronous result itself names the result types
 * it supports ({@code @RateLimited}: {@code CompletionStage}, {@code CompletableFuture}, {@code Mono}, {@code Flux});
 * those pass, every other asynchronous type is still refused.
 * <p>
 * A method Spring runs with {@link Async @Async} is the exception: its body runs on the executor's thread and the
 * lock is held around it there, so the {@code Future} it returns is complete when the lock is released.
 */
final class AsynchronousResults {

    private AsynchronousResults() {
    }

    /**
     * @param annotation the annotation's simple name, for the message
     * @param method the annotated method
     * @param targetClass the bean's class
     * @throws AnnotationConfigurationException if the method's result is asynchronous
     */
    static void reject(String annotation, Method method, Class<?> targetClass) {
        reject(annotation, method, targetClass, Set.of());
    }

    /**
     * As {@link #reject(String, Method, Class)}, letting through the asynchronous result types that the
     * annotation's interceptor supports.
     * @param annotation the annotation's simple name, for the message
     * @param method the annotated method
     * @param targetClass the bean's class
     * @param supported the names of the declared result types the annotation supports (exact types, for example
     *        {@code java.util.concurrent.CompletableFuture}, {@code reactor.core.publisher.Mono}); empty for none
     * @return whether the method's result is one of {@code supported} (and not run with {@code @Async}), so the
     *         interceptor must treat it as asynchronous
     * @throws AnnotationConfigurationException if the method's result is asynchronous and not supported
     */
    static boolean reject(String annotation, Method method, Class<?> targetClass, Set<String> supported) {
        String kind = describe(method);
        if (kind == null || runsWithAsync(method, targetClass)) {
            return false;
        }
        if (supported.contains(method.getReturnType().getName()) && !KotlinDetector.isSuspendingFunction(method)) {
            return true;
        }
        String what = annotation.equals(LockOperationSource.ANNOTATION)
                ? "the lock would be released when the method returns, before the work it guards has run"
                : "the limit would be decided when the method returns the result, not when it is used";
        if (!supported.isEmpty()) {
            throw new AnnotationConfigurationException(annotation, method, "it returns " + kind + ", a result that "
                    + "completes after the method returns, so " + what + ". " + annotation + " supports these "
                    + "asynchronous results only: " + supported.stream().map(AsynchronousResults::simpleName).sorted()
                        .toList()
                    + ". Declare one of them as the result (for a Future, CompletableFuture), or annotate the method "
                    + "that does the work and returns a plain value.", null);
        }
        throw new AnnotationConfigurationException(annotation, method, "it returns " + kind
                + ", a result that completes after the method returns, so " + what + ". pielock does not support "
                + "asynchronous results yet: annotate the method that does the work and returns a plain value (and "
                + "call it from the asynchronous code), or use LockTemplate / Limiter inside the asynchronous task.",
                null);
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static boolean runsWithAsync(Method method, Class<?> targetClass) {
        return AnnotatedElementUtils.hasAnnotation(method, Async.class)
                || AnnotatedElementUtils.hasAnnotation(targetClass, Async.class);
    }

    /** @return the asynchronous kind of the method's result, or {@code null} if it is a plain value */
    private static String describe(Method method) {
        Class<?> type = method.getReturnType();
        if (CompletionStage.class.isAssignableFrom(type) || Future.class.isAssignableFrom(type)) {
            return type.getSimpleName();
        }
        ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(type);
        if (adapter != null) {
            return type.getSimpleName() + " (a reactive type)";
        }
        if (KotlinDetector.isSuspendingFunction(method)) {
            return "the result of a Kotlin suspend function";
        }
        return null;
    }
}
