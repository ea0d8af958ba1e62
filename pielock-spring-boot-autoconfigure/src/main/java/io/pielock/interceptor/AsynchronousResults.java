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
import org.springframework.util.ClassUtils;

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
 * <p>
 * {@code @DistributedLocked} asks {@link #lockedResult} instead, which accepts the results its interceptor can hold
 * the lock across ({@code CompletionStage}, {@code Mono}, {@code Flux}) and refuses the others.
 */
final class AsynchronousResults {

    private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Mono",
            AsynchronousResults.class.getClassLoader());

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

    /**
     * What {@code @DistributedLocked} does with the method's result: {@link LockedResult#VALUE} for a plain value
     * (and for an {@link Async @Async} method, whose body holds the lock on the executor's thread); a
     * {@link CompletionStage}/{@link java.util.concurrent.CompletableFuture} or a deferred reactive type (Reactor's
     * {@code Mono}/{@code Flux}, or any other type {@link ReactiveAdapterRegistry} adapts lazily) is held until it
     * completes, when Reactor is on the class path.
     * @param method the annotated method
     * @param targetClass the bean's class
     * @return how the lock follows the result
     * @throws AnnotationConfigurationException for a result the lock cannot follow: a {@link Future} that is not a
     *         {@code CompletionStage}, an eager reactive type, a Kotlin {@code suspend} function, or any
     *         asynchronous result without Reactor
     */
    static LockedResult lockedResult(Method method, Class<?> targetClass) {
        String kind = describe(method);
        if (kind == null || runsWithAsync(method, targetClass)) {
            return LockedResult.VALUE;
        }
        String annotation = LockOperationSource.ANNOTATION;
        Class<?> type = method.getReturnType();
        String unsupported = "it returns " + kind + ", a result that completes after the method returns, and ";
        if (KotlinDetector.isSuspendingFunction(method)) {
            throw new AnnotationConfigurationException(annotation, method, unsupported + "pielock does not hold "
                    + "locks across Kotlin suspend functions: return a Mono (kotlinx-coroutines-reactor's mono { }) "
                    + "or a CompletableFuture instead", null);
        }
        if (!REACTOR_PRESENT) {
            throw new AnnotationConfigurationException(annotation, method, unsupported + "holding the lock until it "
                    + "completes needs Reactor (io.projectreactor:reactor-core) on the class path, which is missing: "
                    + "add it, or annotate a method returning a plain value", null);
        }
        if (CompletionStage.class.isAssignableFrom(type)) {
            if (type.isAssignableFrom(java.util.concurrent.CompletableFuture.class)) {
                return LockedResult.COMPLETION_STAGE;
            }
            throw new AnnotationConfigurationException(annotation, method, unsupported + "pielock returns a "
                    + "CompletableFuture in its place, which is not a " + type.getName() + ": declare the method to "
                    + "return CompletionStage or CompletableFuture", null);
        }
        if (Future.class.isAssignableFrom(type)) {
            throw new AnnotationConfigurationException(annotation, method, unsupported + "a " + type.getSimpleName()
                    + " cannot say when it completes without a thread blocking on it: return a CompletableFuture "
                    + "(or a Mono), or annotate the method that does the work", null);
        }
        ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(type);
        if (adapter != null && adapter.getDescriptor().isDeferred()) {
            return LockedResult.publisher(adapter);
        }
        throw new AnnotationConfigurationException(annotation, method, unsupported + "its work starts before it is "
                + "subscribed to, so no lock taken at subscription can guard it: return a Mono, Flux or "
                + "CompletableFuture", null);
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
