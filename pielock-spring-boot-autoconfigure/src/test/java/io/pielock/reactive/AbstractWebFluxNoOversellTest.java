package io.pielock.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import io.pielock.annotation.DistributedLocked;
import io.pielock.test.NettyHttp;
import io.pielock.test.NonBlocking;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end over real HTTP: a WebFlux application on a random port whose handler calls a
 * {@code @DistributedLocked Mono} method doing a read-modify-write of a stock count with a real delay between the
 * read and the write. Under concurrent {@link WebTestClient} load, nothing is oversold: the purchases that
 * succeeded are exactly the stock there was, and the stock ends at zero. BlockHound is installed, so a blocking
 * call on an event loop would fail the requests. One subclass per store; the stock lives beside the lock (a map
 * for the memory store, Redis otherwise).
 */
@SpringBootTest(classes = AbstractWebFluxNoOversellTest.ShopApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.main.web-application-type=reactive", "pielock.lock.expires=10s",
                "pielock.lock.timeout=60s" })
abstract class AbstractWebFluxNoOversellTest {

    private static final int STOCK = 50;

    private static final int REQUESTS = 200;

    private static final int IN_FLIGHT = 24;

    @LocalServerPort
    private int port;

    @Autowired
    private StockCounts stock;

    @Autowired
    private Shop shop;

    @BeforeAll
    static void blockHound() {
        NonBlocking.install();
    }

    @Test
    void concurrentPurchasesThroughALockedMonoMethodNeverOversell() throws Exception {
        String item = "item-" + UUID.randomUUID();
        this.stock.set(item, STOCK).block(Duration.ofSeconds(10));
        WebTestClient client = NettyHttp.client(this.port, Duration.ofSeconds(90));
        ExecutorService callers = Executors.newFixedThreadPool(IN_FLIGHT);
        try {
            List<Future<HttpStatus>> answers = new ArrayList<>();
            for (int request = 0; request < REQUESTS; request++) {
                answers.add(callers.submit(() -> HttpStatus.valueOf(client.post().uri("/buy/{item}", item)
                    .exchange().returnResult(String.class).getStatus().value())));
            }
            int bought = 0;
            int soldOut = 0;
            for (Future<HttpStatus> answer : answers) {
                HttpStatus status = answer.get();
                assertThat(status).isIn(HttpStatus.OK, HttpStatus.CONFLICT);
                if (status == HttpStatus.OK) {
                    bought++;
                }
                else {
                    soldOut++;
                }
            }
            assertThat(bought).as("successful purchases").isEqualTo(STOCK);
            assertThat(soldOut).isEqualTo(REQUESTS - STOCK);
            assertThat(this.stock.get(item).block(Duration.ofSeconds(10))).as("stock left").isZero();
            assertThat(this.shop.maxInside()).as("purchases of one item that overlapped").isEqualTo(1);
        }
        finally {
            callers.shutdownNow();
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({ ShopController.class, Shop.class })
    static class ShopApp {

        @Bean
        @ConditionalOnProperty(name = "pielock.store", havingValue = "memory")
        StockCounts mapStock() {
            return new MapStock();
        }

        @Bean
        @ConditionalOnProperty(name = "pielock.store", havingValue = "redis", matchIfMissing = true)
        StockCounts redisStock(ReactiveStringRedisTemplate redis) {
            return new RedisStock(redis);
        }
    }

    @RestController
    static class ShopController {

        private final Shop shop;

        ShopController(Shop shop) {
            this.shop = shop;
        }

        @PostMapping("/buy/{item}")
        Mono<ResponseEntity<String>> buy(@PathVariable String item) {
            return this.shop.buy(item)
                .map(left -> ResponseEntity.ok("bought " + item + ", " + left + " left"))
                .onErrorResume(SoldOutException.class,
                        ex -> Mono.just(ResponseEntity.status(HttpStatus.CONFLICT).body(ex.getMessage())));
        }
    }

    static class Shop {

        final AtomicInteger maxInside = new AtomicInteger();

        private final AtomicInteger inside = new AtomicInteger();

        private final StockCounts stock;

        Shop(StockCounts stock) {
            this.stock = stock;
        }

        /** @return the most purchases that were ever inside at once (an accessor: callers hold the proxy) */
        public int maxInside() {
            return this.maxInside.get();
        }

        /** Read, wait, write: oversells at once without the lock. */
        @DistributedLocked(key = "#item")
        public Mono<Integer> buy(String item) {
            this.maxInside.accumulateAndGet(this.inside.incrementAndGet(), Math::max);
            return this.stock.get(item)
                .delayUntil(count -> Mono.delay(Duration.ofMillis(5)))
                .flatMap(count -> (count <= 0) ? Mono.error(new SoldOutException(item))
                        : this.stock.set(item, count - 1).thenReturn(count - 1))
                .doOnTerminate(this.inside::decrementAndGet) // before the end reaches the lock, unlike doFinally
                .doOnCancel(this.inside::decrementAndGet);
        }
    }

    static class SoldOutException extends RuntimeException {

        SoldOutException(String item) {
            super(item + " is sold out");
        }
    }

    /** Where the stock count lives. */
    interface StockCounts {

        Mono<Integer> get(String item);

        Mono<Void> set(String item, int count);
    }

    static class MapStock implements StockCounts {

        private final Map<String, Integer> counts = new ConcurrentHashMap<>();

        @Override
        public Mono<Integer> get(String item) {
            return Mono.fromSupplier(() -> this.counts.getOrDefault(item, 0));
        }

        @Override
        public Mono<Void> set(String item, int count) {
            return Mono.fromRunnable(() -> this.counts.put(item, count));
        }
    }

    static class RedisStock implements StockCounts {

        private final ReactiveStringRedisTemplate redis;

        RedisStock(ReactiveStringRedisTemplate redis) {
            this.redis = redis;
        }

        @Override
        public Mono<Integer> get(String item) {
            return this.redis.opsForValue().get("stock:{" + item + "}").map(Integer::valueOf).defaultIfEmpty(0);
        }

        @Override
        public Mono<Void> set(String item, int count) {
            return this.redis.opsForValue().set("stock:{" + item + "}", Integer.toString(count)).then();
        }
    }
}
