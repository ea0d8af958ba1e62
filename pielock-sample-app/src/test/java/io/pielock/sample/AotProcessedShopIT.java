package io.pielock.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pielock.sample.PoliteBuyer.Outcome;
import io.pielock.sample.demo.ShopClient;
import io.pielock.sample.store.Reservation;
import io.pielock.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The packaged shop as Spring AOT processed it (the build runs {@code process-aot} with the {@code redis}
 * profile), started as its own process with {@code -Dspring.aot.enabled=true} on a throwaway Redis: its locks,
 * its rate limits and its fenced price writes answer over real HTTP as they do without AOT, and a run asking for
 * the memory store refuses to start (the build decided on Redis). Runs after {@code package}
 * (maven-failsafe-plugin).
 */
class AotProcessedShopIT {

    private static final Duration STARTUP = Duration.ofSeconds(120);

    private static RedisServer redis;

    private static Process shop;

    private static Path log;

    private static URI url;

    private final ShopClient client = new ShopClient();

    @BeforeAll
    static void startShopAheadOfTime() throws Exception {
        redis = RedisServer.start();
        int port = RedisServer.freePort();
        log = Files.createTempFile("pielock-sample-aot-", ".log");
        shop = launch(log, "--server.port=" + port, "--spring.profiles.active=redis",
                "--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port(),
                "--shop.report.cron=-");
        url = URI.create("http://127.0.0.1:" + port);
        awaitStarted();
    }

    /** Starts the packaged shop in a new JVM with AOT on; its output goes to {@code output}. */
    private static Process launch(Path output, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("pielock.sample.jar", "target/pielock-sample-app.jar"));
        assertThat(jar).as("the packaged shop; run through mvn verify").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dspring.aot.enabled=true", "-jar",
                jar.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
            .start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    private static void awaitStarted() throws Exception {
        ShopClient client = new ShopClient();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!shop.isAlive()) {
                throw new AssertionError("The AOT-processed shop exited with " + shop.exitValue() + ":\n" + log());
            }
            try {
                if (client.send("GET", url, "/api/instance").statusCode() == 200) {
                    return;
                }
            }
            catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("The AOT-processed shop did not answer within " + STARTUP + ":\n" + log());
    }

    @AfterAll
    static void stopShop() throws Exception {
        if (shop != null) {
            shop.destroy();
            if (!shop.waitFor(30, TimeUnit.SECONDS)) {
                shop.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void startsFromTheAheadOfTimeGeneratedContextOnTheRedisStore() throws IOException {
        assertThat(log()).contains("Starting AOT-processed SampleApplication")
            .contains("pielock: locks and limits in Redis");
    }

    @Test
    void lockedReservationsSellEachUnitOnceWithRisingFencingTokens() {
        this.client.restock(url, "aot-tee", 2);
        HttpResponse<String> first = this.client.reserve(url, "aot-tee", "alice");
        HttpResponse<String> second = this.client.reserve(url, "aot-tee", "bob");
        HttpResponse<String> soldOut = this.client.reserve(url, "aot-tee", "carol");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(soldOut.statusCode()).as(soldOut.body()).isEqualTo(409);
        List<Reservation> reservations = this.client.reservations(url, "aot-tee");
        assertThat(reservations).extracting(Reservation::user, Reservation::unit)
            .containsExactly(tuple("alice", 2), tuple("bob", 1));
        assertThat(reservations.get(1).fencingToken()).isGreaterThan(reservations.get(0).fencingToken())
            .isPositive();
        assertThat(redis.call("GET", "shop:stock:{aot-tee}")).isEqualTo("0");
    }

    @Test
    void aBuyerBeyondTheQuotaIsAnswered429WithRetryAfter() throws InterruptedException {
        this.client.restock(url, "aot-cap", 10);

        Outcome outcome = PoliteBuyer.reserveUntilTheMinuteLimit(this.client, call -> url, "aot-cap", "dave");

        assertThat(outcome.reserved()).isEqualTo(5);
        HttpResponse<String> denied = outcome.stoppedBy();
        assertThat(denied.statusCode()).isEqualTo(429);
        assertThat(denied.headers().firstValue("Retry-After")).isPresent();
        assertThat(denied.headers().firstValue("RateLimit-Policy")).hasValueSatisfying(
                policy -> assertThat(policy).contains(PoliteBuyer.PER_MINUTE));
        assertThat(denied.body()).contains("\"status\":429", "quota-exceeded");
    }

    @Test
    void pricesAreStoredThroughTheShopsOwnLuaScript() {
        HttpResponse<String> restocked = this.client.send("PUT", url, "/api/items/aot-hat/stock?units=1");
        HttpResponse<String> priced = this.client.send("PUT", url, "/api/items/aot-hat/price?cents=1500");

        assertThat(restocked.statusCode()).as(restocked.body()).isEqualTo(200);
        assertThat(priced.statusCode()).as(priced.body()).isEqualTo(200);
        assertThat(redis.call("HGET", "shop:price:{aot-hat}", "cents")).isEqualTo("1500");
    }

    @Test
    void refusesToStartWithAnotherStoreThanItWasProcessedFor() throws Exception {
        Path output = Files.createTempFile("pielock-sample-aot-memory-", ".log");
        Process memory = launch(output, "--server.port=0", "--pielock.store=memory", "--shop.report.cron=-");
        try {
            assertThat(memory.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).as("exited").isTrue();
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(memory.exitValue()).as(text).isNotZero();
            assertThat(text).contains("Invalid pielock.store: it is 'memory', but this application was processed "
                    + "ahead of time (Spring AOT) with pielock.store=redis");
        }
        finally {
            memory.destroyForcibly();
        }
    }

    private static String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
