package io.pielock.sample.shop;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.pielock.lock.LockHandle;
import io.pielock.lock.LockStore;
import io.pielock.lock.LockTemplate;
import io.pielock.sample.ConcurrentRequests;
import io.pielock.sample.demo.ShopClient;
import io.pielock.sample.store.Price;
import io.pielock.sample.store.Reservation;
import io.pielock.sample.store.ShopRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shop over real HTTP on a random port; one subclass per store. The nightly report is off here (it has its
 * own test across two instances).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "shop.report.cron=-")
abstract class ShopEndToEndTest {

    private final ShopClient client = new ShopClient();

    /** Names unique to each test, so tests never share an item or a buyer (nor anything keyed by them). */
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    private final String sku = "tee-" + this.id;

    @LocalServerPort
    private int port;

    private URI shop;

    @BeforeEach
    void locateShop() {
        this.shop = URI.create("http://127.0.0.1:" + this.port);
    }

    @Test
    void concurrentReservationsSellEachUnitExactlyOnce() throws Exception {
        int units = 25;
        int requests = 200;
        this.client.restock(this.shop, this.sku, units);
        List<Integer> statuses = ConcurrentRequests.run(16, requests,
                i -> this.client.reserve(this.shop, this.sku, user("buyer" + i)).statusCode());
        assertThat(ConcurrentRequests.count(statuses))
            .isEqualTo(Map.of(200, (long) units, 409, (long) requests - units));
        assertThat(this.client.item(this.shop, this.sku).stock()).isZero();
        assertThat(this.client.reservations(this.shop, this.sku)).extracting(Reservation::unit)
            .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, units).boxed().toList());
    }

    @Test
    void aReservationNamesTheUnitTheInstanceAndTheLocksFencingToken() {
        this.client.restock(this.shop, this.sku, 2);
        Reservation first = reserve(user("alice"));
        Reservation second = reserve(user("bob"));
        assertThat(first.unit()).isEqualTo(2);
        assertThat(second.unit()).isEqualTo(1);
        assertThat(first.instance()).isEqualTo(this.client.instance(this.shop).instance())
            .startsWith(this.port + "/pid-");
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(this.client.reservations(this.shop, this.sku)).containsExactly(first, second);
    }

    @Test
    void aSoldOutItemAnswers409WithAProblemDetail() {
        this.client.restock(this.shop, this.sku, 1);
        reserve(user("alice"));
        HttpResponse<String> soldOut = this.client.reserve(this.shop, this.sku, user("bob"));
        assertThat(soldOut.statusCode()).isEqualTo(409);
        assertThat(soldOut.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(soldOut.body()).contains("\"title\":\"Sold out\"", "is sold out", "\"sku\":\"" + this.sku + "\"");
        assertThat(this.client.item(this.shop, this.sku).stock()).isZero();
    }

    @Test
    void anItemNeverStockedAnswers404SayingHowToStockIt() {
        HttpResponse<String> unknown = this.client.reserve(this.shop, this.sku, user("alice"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("PUT /api/items/" + this.sku + "/stock?units=");
    }

    @Test
    void anInvalidUserNameAnswers400NamingTheParameter() {
        this.client.restock(this.shop, this.sku, 1);
        HttpResponse<String> invalid = this.client.reserve(this.shop, this.sku, "a%7Cb");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("user must be 1 to 64 letters", "a|b");
        assertThat(this.client.item(this.shop, this.sku).stock()).isEqualTo(1);
    }

    @Test
    void concurrentDiscountsCompoundBecauseEachReadsThePriceUnderTheLock() throws Exception {
        this.client.restock(this.shop, this.sku, 1);
        this.client.read(this.client.send("PUT", this.shop, "/api/items/" + this.sku + "/price?cents=100000"),
                Price.class);
        int discounts = 8;
        List<Integer> statuses = ConcurrentRequests.run(discounts, discounts, i -> this.client
            .send("POST", this.shop, "/api/items/" + this.sku + "/price/discount?percent=10").statusCode());
        assertThat(statuses).containsOnly(200);
        long expected = 100000;
        for (int i = 0; i < discounts; i++) {
            expected = expected * 90 / 100;
        }
        assertThat(this.client.item(this.shop, this.sku).price().cents()).isEqualTo(expected);
    }

    @Test
    void aPriceWrittenUnderALapsedLockIsRejectedOnceANewerHolderHasWritten(@Autowired LockStore lockStore,
            @Autowired ShopRepository repository) {
        this.client.restock(this.shop, this.sku, 1);
        // another process (its own LockTemplate on the same store) takes the price lock, then stalls past its lease
        try (LockTemplate otherProcess = new LockTemplate(lockStore)) {
            LockHandle stale = otherProcess.lock("price:" + this.sku,
                    otherProcess.defaults().withExpires(Duration.ofMillis(300)).withRenew(false));
            // this request waits for the stale lease to run out, then writes under a newer token
            Price newer = this.client.read(
                    this.client.send("PUT", this.shop, "/api/items/" + this.sku + "/price?cents=1999"), Price.class);
            assertThat(newer.fencingToken()).isGreaterThan(stale.fencingToken());
            assertThat(repository.savePrice(new Price(this.sku, 1, stale.fencingToken()))).isFalse();
            assertThat(this.client.item(this.shop, this.sku).price()).isEqualTo(newer);
            assertThat(stale.release().released()).isFalse();
        }
    }

    private String user(String name) {
        return name + "-" + this.id;
    }

    private Reservation reserve(String user) {
        return this.client.read(this.client.reserve(this.shop, this.sku, user), Reservation.class);
    }
}
