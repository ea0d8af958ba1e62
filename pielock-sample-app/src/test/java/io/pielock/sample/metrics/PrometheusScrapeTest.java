package io.pielock.sample.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.pielock.sample.TestInstances;
import io.pielock.sample.demo.ShopClient;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shop with Actuator and the Prometheus registry, on the tests' own Redis, over real HTTP: after a locked and
 * a rate-limited call, {@code /actuator/prometheus} has pielock's series with their tags, and no evaluated key in
 * any of them (keys carry user names).
 */
class PrometheusScrapeTest {

    private static ConfigurableApplicationContext shop;

    private static URI url;

    private final ShopClient client = new ShopClient();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String id = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startWithActuatorOnRedis() {
        TestRedis.Endpoint redis = TestRedis.endpoint();
        shop = TestInstances.start("--pielock.store=redis", "--spring.data.redis.host=" + redis.host(),
                "--spring.data.redis.port=" + redis.port(), "--shop.key-prefix=shop-metrics:",
                "--pielock.key-prefix=pielock-metrics:");
        url = TestInstances.url(shop);
    }

    @AfterAll
    static void stop() {
        shop.close();
    }

    @Test
    void theScrapeHasPielocksSeriesWithTheirTagsAndNoKeyInAnyTag() throws Exception {
        String sku = "tee-" + this.id;
        String user = "buyer-" + this.id;
        this.client.restock(url, sku, 10);
        List<Integer> statuses = List.of(this.client.reserve(url, sku, user).statusCode(),
                this.client.reserve(url, sku, user).statusCode(), this.client.reserve(url, sku, user).statusCode());
        assertThat(statuses).as("two a second, then the limit").contains(200, 429);

        String scrape = scrape();
        List<String> pielock = scrape.lines().filter(line -> line.startsWith("pielock_")).toList();
        assertThat(pielock).anySatisfy(line -> assertThat(line).startsWith("pielock_lock_acquire_seconds_count{")
            .contains("name=\"ReservationService.restock\"", "outcome=\"acquired\"", "mode=\"wait\"",
                    "store=\"redis\""));
        assertThat(pielock).anySatisfy(line -> assertThat(line).startsWith("pielock_lock_held_seconds_count{")
            .contains("name=\"ReservationService.reserve\"", "released=\"released\"", "store=\"redis\""));
        assertThat(pielock).anySatisfy(line -> assertThat(line).startsWith("pielock_limiter_decision_seconds_count{")
            .contains("name=\"ReservationService.reserve\"", "outcome=\"allowed\"", "store=\"redis\""));
        assertThat(pielock).anySatisfy(line -> assertThat(line).startsWith("pielock_limiter_decision_seconds_count{")
            .contains("name=\"ReservationService.reserve\"", "outcome=\"denied\""));
        assertThat(pielock).anySatisfy(line -> assertThat(line).startsWith("pielock_lock_renewals_total{")
            .contains("outcome=\"renewed\""));
        assertThat(pielock).anySatisfy(line -> assertThat(line).startsWith("pielock_lock_lease_lost_total"));
        assertThat(pielock).anySatisfy(line -> assertThat(line).startsWith("pielock_lock_held_active "));
        assertThat(pielock).anySatisfy(line -> assertThat(line).startsWith("pielock_lock_waiting "));
        assertThat(scrape).as("no evaluated key (stock:<sku>, reserve:<user>) in any tag").doesNotContain(this.id)
            .doesNotContain("key=");
        assertThat(scrape).as("the former fail-open counter is gone").doesNotContain("pielock_limiter_fail_open");
    }

    private String scrape() throws Exception {
        HttpResponse<String> answer = this.http.send(
                HttpRequest.newBuilder(url.resolve("/actuator/prometheus")).timeout(Duration.ofSeconds(30)).GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }
}
