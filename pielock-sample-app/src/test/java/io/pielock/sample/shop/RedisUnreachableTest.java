package io.pielock.sample.shop;

import java.net.URI;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.pielock.sample.TestInstances;
import io.pielock.sample.demo.ShopClient;
import io.pielock.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/** With Redis unreachable the shop starts, and answers 503 saying why instead of a bare 500. */
class RedisUnreachableTest {

    private static ConfigurableApplicationContext shop;

    private final ShopClient client = new ShopClient();

    @BeforeAll
    static void startWithNothingOnTheRedisPort() {
        shop = TestInstances.start("--pielock.store=redis", "--spring.data.redis.host=127.0.0.1",
                "--spring.data.redis.port=" + RedisServer.freePort(), "--spring.data.redis.timeout=1s",
                "--spring.data.redis.connect-timeout=1s");
    }

    @AfterAll
    static void stop() {
        shop.close();
    }

    @Test
    void aReservationAnswers503NamingTheRateLimitItCouldNotCheckAndTheMethod() {
        HttpResponse<String> answer = this.client.reserve(url(), "tee", "alice");
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.body()).contains("\"title\":\"Rate limit not checked\"",
                "Could not check rate limit key: reserve:alice for ReservationService.reserve()",
                "the rate limit store could not be reached", "\"key\":\"reserve:alice\"",
                "\"method\":\"ReservationService.reserve()\"");
    }

    @Test
    void aPriceChangeAnswers503NamingTheRateLimitItCouldNotCheck() {
        HttpResponse<String> answer = this.client.send("PUT", url(), "/api/items/tee/price?cents=1999");
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).contains("\"title\":\"Rate limit not checked\"",
                "Could not check rate limit key: price-changes:tee", "\"key\":\"price-changes:tee\"");
    }

    @Test
    void aRestockAnswers503NamingTheLockTheMethodAndTheReason() {
        HttpResponse<String> answer = this.client.send("PUT", url(), "/api/items/tee/stock?units=5");
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(answer.body()).contains("\"title\":\"Lock not acquired\"",
                "Could not acquire lock 'stock:tee' for ReservationService.restock()",
                "the lock store could not be reached", "\"reason\":\"STORE_UNAVAILABLE\"");
    }

    @Test
    void readingAnItemAnswers503SayingTheStoreIsUnreachable() {
        HttpResponse<String> answer = this.client.send("GET", url(), "/api/items/tee");
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.body()).contains("The shop's store could not be reached");
    }

    private static URI url() {
        return TestInstances.url(shop);
    }
}
