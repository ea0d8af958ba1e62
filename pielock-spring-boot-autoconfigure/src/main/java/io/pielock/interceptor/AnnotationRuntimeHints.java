package io.pielock.interceptor;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

import io.pielock.annotation.DistributedLocked;
import io.pielock.annotation.RateLimited;
import io.pielock.annotation.RateLimits;

/**
 * What the annotation layer reads reflectively whatever the application's beans are: the attributes of
 * {@link DistributedLocked}, {@link RateLimited} and their container {@link RateLimits} (Spring's merged
 * annotations invoke the attribute methods, which are public as annotation attributes always are), and the
 * accessors of {@link KeyExpressions.KeyRoot}, which key expressions reach as {@code #root.method},
 * {@code #root.args} and so on. The annotations can only sit on methods, never on other annotations, so they are
 * never synthesized and need no proxy hints. Annotated methods and their fallbacks depend on the beans;
 * {@link GuardedMethodsAotProcessor} registers them. Registered through {@code META-INF/spring/aot.factories}.
 */
final class AnnotationRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        hints.reflection()
            .registerType(DistributedLocked.class, MemberCategory.INVOKE_PUBLIC_METHODS)
            .registerType(RateLimited.class, MemberCategory.INVOKE_PUBLIC_METHODS)
            .registerType(RateLimits.class, MemberCategory.INVOKE_PUBLIC_METHODS)
            .registerType(KeyExpressions.KeyRoot.class, MemberCategory.INVOKE_PUBLIC_METHODS);
    }
}
