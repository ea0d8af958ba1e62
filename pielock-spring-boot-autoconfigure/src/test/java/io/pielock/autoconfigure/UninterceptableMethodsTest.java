package io.pielock.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pielock.annotation.DistributedLocked;
import io.pielock.annotation.RateLimited;
import io.pielock.limiter.TimeUnit;
import io.pielock.lock.LockContext;
import io.pielock.test.CapturedLogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Annotated methods a proxy can never intercept are named at startup, and LockContext says why it is empty. */
class UninterceptableMethodsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, PielockAutoConfiguration.class))
        .withPropertyValues("pielock.store=memory")
        .withBean(Mixed.class);

    @Test
    void privateFinalAndStaticAnnotatedMethodsAreWarnedAboutOnceEach() {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            this.runner.run(context -> {
                assertThat(context).hasNotFailed();
                String text = logs.text();
                assertThat(text).contains("WARN io.pielock.interceptor.UninterceptableMethods @DistributedLocked on "
                        + "io.pielock.autoconfigure.UninterceptableMethodsTest$Mixed.hidden(String) (bean ")
                    .contains("has no effect: the method is private")
                    .contains("@DistributedLocked on io.pielock.autoconfigure.UninterceptableMethodsTest$Mixed"
                            + ".sealed(String) (bean ")
                    .contains("the method is final")
                    .contains("@RateLimited on io.pielock.autoconfigure.UninterceptableMethodsTest$Mixed"
                            + ".shared(String) (bean ")
                    .contains("the method is static")
                    .doesNotContain("Mixed.open(String)");
                assertThat(text.split("has no effect", -1)).as("one warning per method").hasSize(4);
            });
        }
    }

    @Test
    void annotatedMethodsOfABeanThatWasNotProxiedAreWarnedAbout() {
        // no AopAutoConfiguration: nothing creates proxies, so even the public method runs unguarded
        try (CapturedLogs logs = CapturedLogs.capture()) {
            new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PielockAutoConfiguration.class))
                .withPropertyValues("pielock.store=memory")
                .withBean(Mixed.class)
                .run(context -> assertThat(logs.text())
                    .contains("@DistributedLocked on io.pielock.autoconfigure.UninterceptableMethodsTest$Mixed"
                            + ".open(String) (bean ")
                    .contains("has no effect: the bean was not proxied"));
        }
    }

    @Test
    void lockContextOutsideTheProxyNamesSelfInvocation() {
        this.runner.run(context -> assertThatThrownBy(() -> context.getBean(Mixed.class).callsItself("k"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("self-invocation")
            .hasMessageContaining("call it on the injected bean"));
    }

    static class Mixed {

        @DistributedLocked(key = "#id")
        public long open(String id) {
            return LockContext.current().fencingToken();
        }

        public long callsItself(String id) {
            return hidden(id);
        }

        @DistributedLocked(key = "#id")
        private long hidden(String id) {
            return LockContext.current().fencingToken();
        }

        @DistributedLocked(key = "#id")
        public final void sealed(String id) {
        }

        @RateLimited(key = "#id", per = TimeUnit.SECOND, count = 2)
        public static void shared(String id) {
        }
    }
}
