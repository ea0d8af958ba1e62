package io.pielock.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.pielock.annotation.RateLimited;
import io.pielock.limiter.TimeUnit;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** Over real HTTP: a Spring MVC application answers an exceeded rate limit with 429 and the rate-limit fields. */
@SpringBootTest(classes = RateLimitHttpResponseTest.WebApp.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class RateLimitHttpResponseTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> TestRedis.endpoint().host());
        registry.add("spring.data.redis.port", () -> TestRedis.endpoint().port());
        registry.add("pielock.key-prefix", () -> "test-" + UUID.randomUUID() + ":");
    }

    @Test
    void exceededLimitIsAnsweredWith429RetryAfterRateLimitFieldsAndAProblemDetail() throws Exception {
        assertThat(get("/search?user=alice").statusCode()).isEqualTo(200);
        assertThat(get("/search?user=alice").body()).isEqualTo("results for alice");

        HttpResponse<String> denied = get("/search?user=alice");

        assertThat(denied.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(denied.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(denied.headers().firstValue("RateLimit-Policy")).hasValue("\"2-per-1m\";q=2;w=60");
        assertThat(denied.headers().firstValue("RateLimit")).hasValue("\"2-per-1m\";r=0;t=" + retryAfter);
        assertThat(denied.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(denied.body()).contains("\"status\":429", "\"title\":\"Quota Exceeded\"",
                "\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\"",
                "\"detail\":\"Rate limit of 2 per 1m exceeded; retry after " + retryAfter + "s\"",
                "\"violated-policies\":[\"2-per-1m\"]", "\"instance\":\"/search\"")
            .as("the key may carry user data").doesNotContain("alice");
        assertThat(get("/search?user=bob").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({ SearchController.class, SearchService.class })
    static class WebApp {
    }

    @RestController
    static class SearchController {

        private final SearchService search;

        SearchController(SearchService search) {
            this.search = search;
        }

        @GetMapping("/search")
        String search(@RequestParam String user) {
            return this.search.search(user);
        }
    }

    static class SearchService {

        @RateLimited(key = "#user", per = TimeUnit.MINUTE, count = 2)
        public String search(String user) {
            return "results for " + user;
        }
    }
}
