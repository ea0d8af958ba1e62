package io.pielock.web;

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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.pielock.annotation.RateLimited;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP, on Redis: per-plan limits from {@code pielock.limiter.limits}, the plan chosen per request by
 * the key's expression; the 429 and the RateLimit fields name the plan's windows.
 */
@SpringBootTest(classes = NamedLimitsHttpTest.WebApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "pielock.limiter.limits.free=2/1m", "pielock.limiter.limits.pro=5/1m" })
class NamedLimitsHttpTest {

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
    void eachPlanGetsItsOwnLimitPerCaller() throws Exception {
        for (long left = 1; left >= 0; left--) {
            HttpResponse<String> allowed = get("ann", "free");
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.headers().allValues("RateLimit")).containsExactly("\"2-per-1m\";r=" + left);
        }
        HttpResponse<String> denied = get("ann", "free");
        assertThat(denied.statusCode()).isEqualTo(429);
        assertThat(denied.headers().allValues("RateLimit-Policy")).containsExactly("\"2-per-1m\";q=2;w=60");

        for (int call = 0; call < 5; call++) {
            assertThat(get("bob", "pro").statusCode()).as("pro call %d", call + 1).isEqualTo(200);
        }
        assertThat(get("bob", "pro").statusCode()).isEqualTo(429);
        assertThat(get("cy", "free").statusCode()).as("another free caller has a key of its own").isEqualTo(200);
    }

    @Test
    void anUnknownPlanIsAServerErrorNotAnUnlimitedCall() throws Exception {
        assertThat(get("dee", "gold").statusCode()).isEqualTo(500);
    }

    private HttpResponse<String> get(String user, String plan) throws Exception {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/report"))
            .header("X-User", user).header("X-Plan", plan).build(), HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(ReportController.class)
    static class WebApp {
    }

    @RestController
    static class ReportController {

        @GetMapping("/report")
        @RateLimited(key = "#user", limit = "#plan")
        public String report(@RequestHeader("X-User") String user, @RequestHeader("X-Plan") String plan) {
            return "report for " + user;
        }
    }
}
