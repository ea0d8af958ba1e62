package io.pielock.web.reactive;

import java.security.Principal;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

import io.pielock.test.CapturedLogs;
import io.pielock.test.NettyHttp;
import io.pielock.test.NonBlocking;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP in WebFlux, on Redis, with BlockHound watching the event loops: {@code pielock.limiter.http.rules}
 * limit exchanges by path, method and a key (client address behind a proxy, header, principal), answer denials with
 * pielock's 429 and put the fields of the decision on allowed answers. Each test uses its own keys.
 */
@SpringBootTest(classes = RedisWebFluxHttpRulesTest.WebApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.main.web-application-type=reactive", "server.forward-headers-strategy=framework",
                "pielock.limiter.limits.free=3/1m",
                "pielock.limiter.http.rules[0].name=by-ip", "pielock.limiter.http.rules[0].paths=/ip/**",
                "pielock.limiter.http.rules[0].key=#request.remoteAddr", "pielock.limiter.http.rules[0].limits=2/1m",
                "pielock.limiter.http.rules[1].name=by-api-key", "pielock.limiter.http.rules[1].paths=/header",
                "pielock.limiter.http.rules[1].methods=POST",
                "pielock.limiter.http.rules[1].key=#request.getHeader('X-Api-Key')",
                "pielock.limiter.http.rules[1].limits=2/1m",
                "pielock.limiter.http.rules[2].name=by-user", "pielock.limiter.http.rules[2].paths=/user",
                "pielock.limiter.http.rules[2].key=#principal?.name", "pielock.limiter.http.rules[2].limit=free",
                "pielock.limiter.http.rules[3].name=wide", "pielock.limiter.http.rules[3].paths=/both",
                "pielock.limiter.http.rules[3].key=#request.getHeader('X-A')",
                "pielock.limiter.http.rules[3].limits=5/1m",
                "pielock.limiter.http.rules[4].name=narrow", "pielock.limiter.http.rules[4].paths=/both",
                "pielock.limiter.http.rules[4].key=#request.getHeader('X-B')",
                "pielock.limiter.http.rules[4].limits=1/1m",
                "pielock.limiter.http.rules[5].name=batch", "pielock.limiter.http.rules[5].paths=/batch",
                "pielock.limiter.http.rules[5].key=#request.getHeader('X-A')",
                "pielock.limiter.http.rules[5].limits=5/1m",
                "pielock.limiter.http.rules[5].cost=#request.getHeader('X-Batch-Size')",
                "pielock.limiter.http.rules[6].name=heavy-wide", "pielock.limiter.http.rules[6].paths=/heavy",
                "pielock.limiter.http.rules[6].key=#request.getHeader('X-A')",
                "pielock.limiter.http.rules[6].limits=10/1m", "pielock.limiter.http.rules[6].cost=2",
                "pielock.limiter.http.rules[7].name=heavy-narrow", "pielock.limiter.http.rules[7].paths=/heavy",
                "pielock.limiter.http.rules[7].key=#request.getHeader('X-B')",
                "pielock.limiter.http.rules[7].limits=3/1m",
                "pielock.limiter.http.rules[7].cost=#request.getHeader('X-Batch-Size')",
                "pielock.limiter.http.rules[8].name=throttled", "pielock.limiter.http.rules[8].paths=/throttled",
                "pielock.limiter.http.rules[8].key=#request.getHeader('X-Missing')",
                "pielock.limiter.http.rules[8].limits=5/1m" })
class RedisWebFluxHttpRulesTest {

    @LocalServerPort
    private int port;

    private WebTestClient client;

    private final String id = UUID.randomUUID().toString();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> TestRedis.endpoint().host());
        registry.add("spring.data.redis.port", () -> TestRedis.endpoint().port());
        registry.add("pielock.key-prefix", () -> "test-" + UUID.randomUUID() + ":");
    }

    @BeforeAll
    static void installBlockHound() {
        NonBlocking.install();
    }

    @BeforeEach
    void client() {
        this.client = NettyHttp.client(this.port, Duration.ofSeconds(30));
    }

    @Test
    void theClientAddressFromXForwardedForIsTheKeyAndDenialsAre429WithTheFields() {
        for (long left = 1; left >= 0; left--) {
            EntityExchangeResult<String> allowed = send(HttpMethod.GET, "/ip/a", "X-Forwarded-For", "198.51.100.9");
            assertThat(allowed.getStatus().value()).isEqualTo(200);
            assertThat(allowed.getResponseHeaders().get("RateLimit-Policy")).containsExactly("\"2-per-1m\";q=2;w=60");
            assertThat(allowed.getResponseHeaders().get("RateLimit")).containsExactly("\"2-per-1m\";r=" + left);
        }
        EntityExchangeResult<String> denied = send(HttpMethod.GET, "/ip/a", "X-Forwarded-For", "198.51.100.9");
        assertThat(denied.getStatus().value()).isEqualTo(429);
        long retryAfter = Long.parseLong(denied.getResponseHeaders().getFirst("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(denied.getResponseHeaders().get("RateLimit-Policy")).containsExactly("\"2-per-1m\";q=2;w=60");
        assertThat(denied.getResponseHeaders().get("RateLimit")).containsExactly("\"2-per-1m\";r=0;t=" + retryAfter);
        assertThat(denied.getResponseHeaders().getFirst("Content-Type")).isEqualTo("application/problem+json");
        assertThat(denied.getResponseBody()).contains("\"violated-policies\":[\"2-per-1m\"]");
        assertThat(send(HttpMethod.GET, "/ip/a", "X-Forwarded-For", "198.51.100.10").getStatus().value())
            .isEqualTo(200);
    }

    @Test
    void aRuleForPostLimitsPostsByHeaderAndLeavesGetsAlone() {
        String apiKey = "key-" + this.id;
        assertThat(send(HttpMethod.POST, "/header", "X-Api-Key", apiKey).getStatus().value()).isEqualTo(200);
        assertThat(send(HttpMethod.POST, "/header", "X-Api-Key", apiKey).getStatus().value()).isEqualTo(200);
        assertThat(send(HttpMethod.POST, "/header", "X-Api-Key", apiKey).getStatus().value()).isEqualTo(429);
        EntityExchangeResult<String> get = send(HttpMethod.GET, "/header", "X-Api-Key", apiKey);
        assertThat(get.getStatus().value()).isEqualTo(200);
        assertThat(get.getResponseHeaders().getFirst("RateLimit")).isNull();
    }

    @Test
    void thePrincipalsNameIsTheKeyWithANamedLimit() {
        String user = "user-" + this.id;
        for (int i = 0; i < 3; i++) {
            assertThat(send(HttpMethod.GET, "/user", "X-User", user).getStatus().value()).isEqualTo(200);
        }
        assertThat(send(HttpMethod.GET, "/user", "X-User", user).getStatus().value()).isEqualTo(429);
        assertThat(send(HttpMethod.GET, "/user", "X-User", "other-" + user).getStatus().value()).isEqualTo(200);
    }

    @Test
    void anExchangeWithoutAKeyIsDeniedWith500AndLoggedAsAnError() {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            EntityExchangeResult<String> failed = send(HttpMethod.GET, "/user", "X-Nobody", "x");
            assertThat(failed.getStatus().value()).isEqualTo(500);
            assertThat(logs.text()).contains("ERROR").contains("Rate limit rule by-user (key: #principal?.name)")
                .contains("GET /user");
        }
    }

    @Test
    void anExchangeWithoutAKeyIsAnsweredWithTheProblemDetailOfSpringMvcAndLoggedOnceInTenSeconds() {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            for (int i = 0; i < 3; i++) {
                EntityExchangeResult<String> failed = send(HttpMethod.GET, "/throttled");
                assertThat(failed.getStatus().value()).isEqualTo(500);
                assertThat(failed.getResponseHeaders().getFirst("Content-Type")).isEqualTo("application/problem+json");
                assertThat(failed.getResponseBody()).contains("\"title\":\"Rate Limit Rule Failed\"")
                    .contains("\"status\":500").contains("could not be rate limited")
                    .contains("\"instance\":\"/throttled\"").doesNotContain("X-Missing");
            }
            assertThat(logs.text().lines().filter(line -> line.contains("Rate limit rule throttled ")))
                .singleElement().asString().startsWith("ERROR").contains("GET /throttled")
                .contains("next report of this rule in 10s at the earliest");
        }
    }

    @Test
    void aRuleWithACostExpressionTakesThatManyPermitsPerExchange() {
        String a = "batch-" + this.id;
        EntityExchangeResult<String> two = send(HttpMethod.GET, "/batch", "X-A", a, "X-Batch-Size", "2");
        assertThat(two.getStatus().value()).isEqualTo(200);
        assertThat(two.getResponseHeaders().get("RateLimit")).containsExactly("\"5-per-1m\";r=3");
        EntityExchangeResult<String> three = send(HttpMethod.GET, "/batch", "X-A", a, "X-Batch-Size", "3");
        assertThat(three.getStatus().value()).isEqualTo(200);
        assertThat(three.getResponseHeaders().get("RateLimit")).containsExactly("\"5-per-1m\";r=0");
        assertThat(send(HttpMethod.GET, "/batch", "X-A", a, "X-Batch-Size", "1").getStatus().value()).isEqualTo(429);
    }

    @Test
    void aCostAboveTheCountIs429WithoutCountingAnything() {
        String a = "never-" + this.id;
        EntityExchangeResult<String> never = send(HttpMethod.GET, "/batch", "X-A", a, "X-Batch-Size", "6");
        assertThat(never.getStatus().value()).isEqualTo(429);
        assertThat(never.getResponseHeaders().getFirst("Retry-After")).as("the window").isEqualTo("60");
        assertThat(send(HttpMethod.GET, "/batch", "X-A", a, "X-Batch-Size", "5").getStatus().value())
            .as("nothing was counted").isEqualTo(200);
    }

    @Test
    void anInvalidCostIsDeniedWith500AndLoggedNamingTheRuleAndWhatItGave() {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            EntityExchangeResult<String> text = send(HttpMethod.GET, "/batch", "X-A", "bad-" + this.id,
                    "X-Batch-Size", "many");
            assertThat(text.getStatus().value()).isEqualTo(500);
            assertThat(text.getResponseBody()).contains("Rate Limit Rule Failed");
            assertThat(logs.text()).contains("ERROR")
                .contains("Rate limit rule batch (cost: #request.getHeader('X-Batch-Size')) gave 'many', not a "
                        + "whole number for GET /batch")
                .contains("pielock.limiter.http.on-missing-key");
        }
        assertThat(send(HttpMethod.GET, "/batch", "X-A", "bad-" + this.id, "X-Batch-Size", "0").getStatus().value())
            .isEqualTo(500);
        assertThat(send(HttpMethod.GET, "/batch", "X-A", "bad-" + this.id, "X-Batch-Size", "5").getStatus().value())
            .as("the invalid requests took nothing").isEqualTo(200);
    }

    @Test
    void eachRuleTakesItsOwnCostAndADenialTakesBackExactlyWhatTheOthersTook() {
        String a = "heavy-" + this.id;
        assertThat(send(HttpMethod.GET, "/heavy", "X-A", a, "X-B", "b0-" + this.id, "X-Batch-Size", "3")
            .getStatus().value()).as("wide takes 2 of 10, narrow 3 of 3").isEqualTo(200);
        EntityExchangeResult<String> denied = send(HttpMethod.GET, "/heavy", "X-A", a, "X-B", "b0-" + this.id,
                "X-Batch-Size", "1");
        assertThat(denied.getStatus().value()).as("narrow denies; wide gives its 2 back").isEqualTo(429);
        assertThat(denied.getResponseHeaders().get("RateLimit-Policy")).containsExactly("\"3-per-1m\";q=3;w=60");
        for (int i = 1; i <= 4; i++) {
            assertThat(send(HttpMethod.GET, "/heavy", "X-A", a, "X-B", "b" + i + "-" + this.id, "X-Batch-Size", "1")
                .getStatus().value()).as("wide's permits %d and %d of 10", 2 * i + 1, 2 * i + 2).isEqualTo(200);
        }
        EntityExchangeResult<String> wideDenied = send(HttpMethod.GET, "/heavy", "X-A", a, "X-B", "b5-" + this.id,
                "X-Batch-Size", "1");
        assertThat(wideDenied.getStatus().value()).isEqualTo(429);
        assertThat(wideDenied.getResponseHeaders().get("RateLimit-Policy"))
            .containsExactly("\"10-per-1m\";q=10;w=60");
    }

    @Test
    void anExchangeMatchingTwoRulesMustPassBothAndTheDeniedOneIsTakenBackFromTheOther() {
        String a = "a-" + this.id;
        assertThat(send(HttpMethod.GET, "/both", "X-A", a, "X-B", "b0").getStatus().value()).isEqualTo(200);
        assertThat(send(HttpMethod.GET, "/both", "X-A", a, "X-B", "b0").getStatus().value()).isEqualTo(429);
        for (int i = 1; i <= 4; i++) {
            assertThat(send(HttpMethod.GET, "/both", "X-A", a, "X-B", "b" + i).getStatus().value())
                .as("call %d of the wide rule's 5", i + 1).isEqualTo(200);
        }
        EntityExchangeResult<String> wideDenied = send(HttpMethod.GET, "/both", "X-A", a, "X-B", "b5");
        assertThat(wideDenied.getStatus().value()).isEqualTo(429);
        assertThat(wideDenied.getResponseHeaders().get("RateLimit-Policy")).containsExactly("\"5-per-1m\";q=5;w=60");
    }

    private EntityExchangeResult<String> send(HttpMethod method, String path, String... headers) {
        WebTestClient.RequestBodySpec request = this.client.method(method).uri(path);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.exchange().expectBody(String.class).returnResult();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Endpoints.class)
    static class WebApp {

        /** Stands in for Spring Security: the X-User header names the authenticated principal. */
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        WebFilter testPrincipal() {
            return (exchange, chain) -> {
                String user = exchange.getRequest().getHeaders().getFirst("X-User");
                return chain.filter((user == null) ? exchange
                        : exchange.mutate().principal(Mono.just((Principal) () -> user)).build());
            };
        }
    }

    @RestController
    static class Endpoints {

        @GetMapping({ "/ip/a", "/header", "/user", "/both", "/batch", "/heavy", "/throttled" })
        Mono<String> get() {
            return Mono.just("ok");
        }

        @PostMapping("/header")
        Mono<String> post() {
            return Mono.just("posted");
        }
    }
}
