package io.pielock.autoconfigure;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.javapoet.ClassName;
import org.springframework.test.context.support.TestPropertySourceUtils;
import org.springframework.util.ReflectionUtils;

import io.pielock.annotation.DistributedLocked;
import io.pielock.annotation.RateLimited;
import io.pielock.annotation.RateLimits;
import io.pielock.interceptor.AnnotationConfigurationException;
import io.pielock.interceptor.KeyExpressions;
import io.pielock.limiter.RateLimitExceededException;
import io.pielock.limiter.TimeUnit;
import io.pielock.lock.LockAcquisitionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What Spring AOT registers for pielock, found the way a build finds it: an application context with pielock's
 * auto-configuration and an annotated bean, processed ahead of time with the processors and registrars of every
 * {@code META-INF/spring/aot.factories} on the class path.
 */
class RuntimeHintsTest {

    private static final String SCRIPTS = "classpath*:io/pielock/store/redis/*.lua";

    @Test
    void everyLuaScriptIsAResource() throws IOException {
        RuntimeHints hints = processAheadOfTime(Jobs.class);
        Resource[] scripts = new PathMatchingResourcePatternResolver().getResources(SCRIPTS);
        assertThat(scripts).hasSizeGreaterThanOrEqualTo(10);
        for (Resource script : scripts) {
            assertThat(RuntimeHintsPredicates.resource().forResource("io/pielock/store/redis/" + script.getFilename()))
                .as(script.getFilename())
                .accepts(hints);
        }
    }

    @Test
    void everyAnnotationAttributeCanBeRead() {
        RuntimeHints hints = processAheadOfTime(Jobs.class);
        for (Class<?> annotation : List.of(DistributedLocked.class, RateLimited.class, RateLimits.class)) {
            for (Method attribute : annotation.getDeclaredMethods()) {
                assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(attribute))
                    .as(annotation.getSimpleName() + "." + attribute.getName())
                    .accepts(hints);
            }
        }
    }

    @Test
    void keyExpressionsCanReadTheRootObject() {
        RuntimeHints hints = processAheadOfTime(Jobs.class);
        for (String accessor : List.of("getMethod", "getMethodName", "getTarget", "getTargetClass", "getArgs")) {
            assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(KeyExpressions.KeyRoot.class, accessor))
                .as(accessor)
                .accepts(hints);
        }
    }

    @Test
    void annotatedMethodsAndTheirFallbacksCanBeInvoked() {
        RuntimeHints hints = processAheadOfTime(Jobs.class);
        for (String name : List.of("nightly", "skip", "quote", "quoteLater")) {
            assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method(Jobs.class, name)))
                .as(name)
                .accepts(hints);
        }
    }

    @Test
    void methodsWithoutPielockAnnotationsAreNotRegistered() {
        RuntimeHints hints = processAheadOfTime(Jobs.class);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method(Jobs.class, "unguarded")))
            .rejects(hints);
    }

    @Test
    void methodsAnnotatedOnAnInterfaceAreRegisteredAsDeclaredAndAsImplemented() {
        RuntimeHints hints = processAheadOfTime(InterfaceJobs.class);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method(Job.class, "run"))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method(InterfaceJobs.class, "run")))
            .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method(InterfaceJobs.class, "notNow")))
            .accepts(hints);
    }

    @Test
    void aMissingFallbackFailsTheBuildNamingTheMethod() {
        assertThatThrownBy(() -> processAheadOfTime(MissingFallback.class))
            .satisfies(failure -> assertThat(Causes.find(failure, AnnotationConfigurationException.class))
                .hasMessageContaining("MissingFallback.run")
                .hasMessageContaining("fallback method 'nowhere' not found"));
    }

    @Test
    void propertiesAreBoundByBootsOwnHints() {
        RuntimeHints hints = processAheadOfTime(Jobs.class);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PielockProperties.class, "setStore"))
            .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PielockProperties.Lock.class, "setExpires"))
            .accepts(hints);
    }

    private static RuntimeHints processAheadOfTime(Class<?> bean) {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context, "pielock.store=memory");
            context.register(PielockAutoConfiguration.class);
            context.registerBean(bean);
            DefaultGenerationContext generation = new DefaultGenerationContext(
                    new ClassNameGenerator(ClassName.get(RuntimeHintsTest.class)), new InMemoryGeneratedFiles());
            new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
            return generation.getRuntimeHints();
        }
    }

    private static Method method(Class<?> type, String name) {
        return Arrays.stream(ReflectionUtils.getUniqueDeclaredMethods(type))
            .filter(method -> method.getName().equals(name))
            .findFirst()
            .orElseThrow();
    }

    static class Jobs {

        @DistributedLocked(key = "'nightly'", timeout = "0", fallback = "skip")
        public void nightly() {
        }

        void skip(LockAcquisitionException ex) {
        }

        @RateLimited(key = "#user", count = 2, per = TimeUnit.SECOND, fallback = "quoteLater")
        @RateLimited(key = "#user", count = 5, per = TimeUnit.MINUTE)
        public String quote(String user) {
            return "now";
        }

        String quoteLater(String user, RateLimitExceededException ex) {
            return "later";
        }

        public void unguarded() {
        }
    }

    interface Job {

        @DistributedLocked(key = "'job'", fallback = "notNow")
        void run();
    }

    static class InterfaceJobs implements Job {

        @Override
        public void run() {
        }

        void notNow() {
        }
    }

    static class MissingFallback {

        @DistributedLocked(key = "'job'", fallback = "nowhere")
        public void run() {
        }
    }
}
