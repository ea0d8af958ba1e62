package io.pielock.reactive;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pielock.test.JavaProcess;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first reactive lock and limit decision of a JVM do not block their thread: whatever pielock reads once (its
 * Lua scripts from the class path, the owner tokens' random process id) is read when the reactive template and
 * stores are created, not on the event loop of the first call. Run in a JVM of its own
 * ({@link FirstReactiveCallsProcess}), with BlockHound installed, because in the test suite's JVM other tests have
 * long since made those first calls; in an application the first call is often on a WebFlux event loop.
 */
class FirstReactiveCallsTest {

    @Test
    void theFirstReactiveLockReleaseAndLimitDecisionOfAJvmRunOnANonBlockingThread() throws Exception {
        try (JavaProcess process = JavaProcess.start(
                List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+AllowRedefinitionToAddDeleteMethods"),
                Files.createTempFile("pielock-first-reactive-calls-", ".log"), FirstReactiveCallsProcess.class,
                Integer.toString(TestRedis.endpoint().port()))) {
            assertThat(process.nextReply(Duration.ofSeconds(60))).as("the child's answer (its log: %s)", process.log())
                .matches("locked \\d+ released true allowed true");
        }
    }
}
