package io.pielock.web.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.pielock.annotation.RateLimited;
import io.pielock.limiter.TimeUnit;
import io.pielock.test.NettyHttp;
import io.pielock.test.NonBlocking;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux application on a random port, over real HTTP, with BlockHound watching the server's event loops:
 * {@code @RateLimited} controller methods returning {@code Mono} and {@code Flux} admit exactly their limit under
 * concurrent load, answer the rest with pielock's 429 ({@code Retry-After}, {@code RateLimit-Policy},
 * {@code RateLimit}, a problem detail), and allowed answers carry the fields of the decision. Subclassed once per
 * store; each test limits its own key.
 */
abstract class AbstractWebFluxRateLimitTest {

    private static final String POLICY = "\"10-per-1m\";q=10;w=60";

    @LocalServerPort
    private int port;

    private WebTestClient client;

    private String key;

    @BeforeAll
    static void installBlockHound() {
        NonBlocking.install();
    }

    @BeforeEach
    void client() {
        this.client = NettyHttp.client(this.port, Duration.ofSeconds(30));
        this.key = UUID.randomUUID().toString();
    }

    @Test
    void underConcurrentLoadExactlyTheLimitIsAllowedAndTheRestAnswered429WithTheFields() throws Exception {
        List<EntityExchangeResult<String>> answers = concurrently(40, () -> get("/mono?k=" + this.key));
        List<EntityExchangeResult<String>> allowed = answers.stream()
            .filter(answer -> answer.getStatus() == HttpStatus.OK).toList();
        List<EntityExchangeResult<String>> denied = answers.stream()
            .filter(answer -> answer.getStatus() == HttpStatus.TOO_MANY_REQUESTS).toList();
        assertThat(allowed).hasSize(10);
        assertThat(denied).hasSize(30);
        assertThat(allowed).extracting(answer -> answer.getResponseHeaders().getFirst("RateLimit"))
            .as("each allowed answer says how many calls were left after it: each count once")
            .containsExactlyInAnyOrder(expectedRemaining(10));
        assertThat(allowed).allSatisfy(answer -> {
            assertThat(answer.getResponseBody()).isEqualTo("hello " + this.key);
            assertThat(answer.getResponseHeaders().getFirst("RateLimit-Policy")).isEqualTo(POLICY);
        });
        assertThat(denied).allSatisfy(answer -> {
            HttpHeaders headers = answer.getResponseHeaders();
            long retryAfter = Long.parseLong(headers.getFirst(HttpHeaders.RETRY_AFTER));
            assertThat(retryAfter).isBetween(1L, 60L);
            assertThat(headers.getFirst("RateLimit-Policy")).isEqualTo(POLICY);
            assertThat(headers.getFirst("RateLimit")).isEqualTo("\"10-per-1m\";r=0;t=" + retryAfter);
            assertThat(headers.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(answer.getResponseBody()).contains("\"violated-policies\":[\"10-per-1m\"]");
        });
    }

    @Test
    void aFluxHandlerIsLimitedAndItsAllowedAnswersCarryTheFields() {
        for (int left = 9; left >= 0; left--) {
            EntityExchangeResult<String> allowed = get("/flux?k=" + this.key);
            assertThat(allowed.getStatus()).isEqualTo(HttpStatus.OK);
            assertThat(allowed.getResponseBody()).isEqualTo("abc");
            assertThat(allowed.getResponseHeaders().getFirst("RateLimit")).isEqualTo("\"10-per-1m\";r=" + left);
        }
        EntityExchangeResult<String> denied = get("/flux?k=" + this.key);
        assertThat(denied.getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(denied.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
    }

    @Test
    void anAnswerDecidedByNoLimitCarriesNoFields() {
        EntityExchangeResult<String> free = get("/free");
        assertThat(free.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(free.getResponseHeaders().containsHeader("RateLimit")).isFalse();
        assertThat(free.getResponseHeaders().containsHeader("RateLimit-Policy")).isFalse();
    }

    private static String[] expectedRemaining(int count) {
        String[] remaining = new String[count];
        for (int i = 0; i < count; i++) {
            remaining[i] = "\"10-per-1m\";r=" + i;
        }
        return remaining;
    }

    private EntityExchangeResult<String> get(String path) {
        return this.client.get().uri(path).exchange().expectBody(String.class).returnResult();
    }

    private static <T> List<T> concurrently(int calls, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                futures.add(pool.submit(call));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
        finally {
            pool.shutdownNow();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(LimitedController.class)
    static class WebApp {
    }

    /** Handlers limited to 10 calls a minute per {@code k}. */
    @RestController
    static class LimitedController {

        @GetMapping("/mono")
        @RateLimited(key = "'mono:' + #k", per = TimeUnit.MINUTE, count = 10)
        public Mono<String> mono(@RequestParam String k) {
            return Mono.fromSupplier(() -> "hello " + k);
        }

        @GetMapping("/flux")
        @RateLimited(key = "'flux:' + #k", per = TimeUnit.MINUTE, count = 10)
        public Flux<String> flux(@RequestParam String k) {
            return Flux.just("a", "b", "c");
        }

        @GetMapping("/free")
        public Mono<String> free() {
            return Mono.just("free");
        }
    }
}
