package io.pielock.sample;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.pielock.sample.demo.LoadDemo;
import io.pielock.sample.demo.ShopClient;
import io.pielock.sample.report.NightlyReport;
import io.pielock.sample.store.JobRun;
import io.pielock.sample.store.Price;
import io.pielock.sample.store.Reservation;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the shop (two application contexts, each with its own web server, connections and
 * LockTemplate) on one Redis, as two processes would run: whatever one instance does under a lock, the other
 * cannot do at the same time, and a rate limit counts the calls to both. The nightly report is scheduled every
 * second on both.
 */
@ExtendWith(OutputCaptureExtension.class)
class TwoInstancesOnOneRedisTest {

    private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    private static final List<URI> urls = new ArrayList<>();

    private final ShopClient client = new ShopClient();

    /** Names unique to each test, so tests never share an item or a buyer (nor anything keyed by them). */
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    private final String sku = "tee-" + this.id;

    @BeforeAll
    static void startTwoInstances() {
        TestRedis.Endpoint redis = TestRedis.endpoint();
        for (int i = 0; i < 2; i++) {
            ConfigurableApplicationContext instance = TestInstances.start("--pielock.store=redis",
                    "--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port(),
                    "--shop.key-prefix=shop-two:", "--pielock.key-prefix=pielock-two:",
                    "--shop.report.cron=* * * * * *");
            instances.add(instance);
            urls.add(TestInstances.url(instance));
        }
    }

    @AfterAll
    static void stopThem() {
        instances.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void reservationsSpreadOverBothInstancesSellEachUnitExactlyOnce() throws Exception {
        int units = 30;
        int requests = 240;
        this.client.restock(urls.get(0), this.sku, units);
        List<Integer> statuses = ConcurrentRequests.run(16, requests,
                i -> this.client.reserve(urls.get(i % 2), this.sku, "buyer" + i + "-" + this.id).statusCode());
        assertThat(ConcurrentRequests.count(statuses))
            .isEqualTo(Map.of(200, (long) units, 409, (long) requests - units));
        assertThat(this.client.item(urls.get(1), this.sku).stock()).isZero();
        assertThat(this.client.reservations(urls.get(1), this.sku)).extracting(Reservation::unit)
            .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, units).boxed().toList());
    }

    @Test
    void discountsThroughBothInstancesCompoundBecauseTheyShareThePriceLock() throws Exception {
        this.client.restock(urls.get(0), this.sku, 1);
        this.client.read(this.client.send("PUT", urls.get(0), "/api/items/" + this.sku + "/price?cents=100000"),
                Price.class);
        int discounts = 8;
        List<Integer> statuses = ConcurrentRequests.run(discounts, discounts, i -> this.client
            .send("POST", urls.get(i % 2), "/api/items/" + this.sku + "/price/discount?percent=10").statusCode());
        assertThat(statuses).containsOnly(200);
        long expected = 100000;
        for (int i = 0; i < discounts; i++) {
            expected = expected * 90 / 100;
        }
        assertThat(this.client.item(urls.get(1), this.sku).price().cents()).isEqualTo(expected);
    }

    @Test
    void aBuyersQuotaIsCountedOnceForBothInstances() throws InterruptedException {
        this.client.restock(urls.get(0), this.sku, 20);
        String buyer = "steady-" + this.id;
        // alternating instances: with a quota per instance the buyer would get 5 from each before being stopped
        PoliteBuyer.Outcome outcome = PoliteBuyer.reserveUntilTheMinuteLimit(this.client, call -> urls.get(call % 2),
                this.sku, buyer);
        assertThat(outcome.reserved()).isEqualTo(5);
        assertThat(this.client.reservations(urls.get(1), this.sku)).extracting(Reservation::instance)
            .hasSize(5)
            .containsAll(urls.stream().map(url -> this.client.instance(url).instance()).toList());
    }

    @Test
    void theNightlyReportRunsOncePerSlotAlthoughBothInstancesScheduleIt(CapturedOutput output) {
        int initialRuns = runs().size();
        await().atMost(Duration.ofSeconds(60)).until(() -> runs().size() >= initialRuns + 4);
        List<JobRun> runs = runs();
        assertThat(runs).extracting(JobRun::slot).doesNotHaveDuplicates();
        List<String> ids = urls.stream().map(url -> this.client.instance(url).instance()).toList();
        assertThat(runs).extracting(JobRun::instance).isSubsetOf(ids);
        for (String id : ids) {
            assertThat(output.getOut()).as("instance %s took part (ran or skipped the report)", id)
                .containsPattern("Nightly report .*(generated|skipped) by instance " + id);
        }
    }

    @Test
    void theDemoAgainstBothInstancesSellsEachUnitOnceAndExitsZero() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = LoadDemo.run(new String[] { "--demo", "--demo.targets=" + urls.get(0) + "," + urls.get(1),
                "--demo.sku=" + this.sku, "--demo.units=40", "--demo.requests=300", "--demo.threads=16" },
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        String summary = printed.toString(StandardCharsets.UTF_8);
        System.out.println(summary);
        assertThat(exit).as(summary).isZero();
        assertThat(summary).containsPattern("reserved \\(200\\) +40\\R").containsPattern("oversold +0\\R");
    }

    private List<JobRun> runs() {
        return this.client.jobRuns(urls.get(0), NightlyReport.JOB);
    }
}
