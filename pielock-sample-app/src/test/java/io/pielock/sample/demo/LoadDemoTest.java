package io.pielock.sample.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.pielock.sample.TestInstances;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo as {@code java -jar pielock-sample-app.jar --demo} runs it, in this JVM and smaller: it starts the
 * shop (memory store) on a free port and loads it over HTTP. The Redis run is in {@code demo-smoke.sh} and
 * the two-instance run in {@code TwoInstancesOnOneRedisTest}.
 */
class LoadDemoTest {

    @Test
    void theDemoOnItsOwnInstanceSellsEveryUnitOnceAndExitsZeroQuickly() {
        // 10 requests per buyer: each buyer's first 2 pass the quota (40 >= 20 units), at most 5 a minute do
        long started = System.nanoTime();
        Run run = demo("--demo", "--demo.units=20", "--demo.requests=200", "--demo.threads=16", "--demo.users=20",
                "--shop.report.cron=-");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.println(run.printed + "(demo took " + took.toMillis() + " ms)");
        assertThat(run.exit).as(run.printed).isZero();
        assertThat(run.printed).containsPattern("reserved \\(200\\) +20\\R")
            .containsPattern("oversold +0\\R")
            .containsPattern("lock wait \\(metrics\\) +p50 \\d+\\.\\d ms, p99 \\d+\\.\\d ms \\(pielock_lock_acquire_seconds, ReservationService.reserve")
            .contains("OK: no unit was sold twice.");
        long rateLimited = run.count("rate limited \\(429\\)");
        assertThat(rateLimited).as(run.printed).isBetween(200L - 20 * 5, 200L - 20 * 2);
        assertThat(run.count("sold out \\(409\\)")).as(run.printed).isEqualTo(180 - rateLimited);
        assertThat(took).as("well under a minute, startup included").isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void invalidSettingsExitTwoNamingTheProperty() {
        Run run = demo("--demo", "--demo.threads=0");
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.printed).contains("demo.threads must be between 1 and 1000, but was 0");
    }

    @Test
    void anUnreachableTargetExitsTwoNamingIt() {
        Run run = demo("--demo", "--demo.targets=http://127.0.0.1:1");
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.printed).contains("http://127.0.0.1:1/api/instance failed");
    }

    @Test
    void targetsThatDoNotShareOneStoreAreRefusedBeforeTheLoad() {
        try (ConfigurableApplicationContext first = TestInstances.start();
                ConfigurableApplicationContext second = TestInstances.start()) {
            URI one = TestInstances.url(first);
            URI other = TestInstances.url(second);
            Run run = demo("--demo", "--demo.targets=" + one + "," + other);
            assertThat(run.exit).isEqualTo(2);
            assertThat(run.printed).contains(other + " does not see the 100 units of 'demo' stocked through " + one
                    + ": the instances do not share one store").doesNotContain("Summary");
        }
    }

    private static Run demo(String... args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = LoadDemo.run(args, new PrintStream(printed, true, StandardCharsets.UTF_8));
        return new Run(exit, printed.toString(StandardCharsets.UTF_8));
    }

    private record Run(int exit, String printed) {

        /** @return the number on the summary line that starts with {@code label} (a regex) */
        long count(String label) {
            Matcher line = Pattern.compile("  " + label + " +(\\d+)\\R").matcher(this.printed);
            assertThat(line.find()).as("a line '%s' in:%n%s", label, this.printed).isTrue();
            return Long.parseLong(line.group(1));
        }
    }
}
