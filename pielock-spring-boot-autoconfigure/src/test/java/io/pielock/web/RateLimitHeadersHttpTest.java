package io.pielock.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.RequestContextHolder;

import io.pielock.annotation.RateLimited;
import io.pielock.limiter.RateLimitExceededException;
import io.pielock.limiter.TimeUnit;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP, on Redis: answers to requests that {@code @RateLimited} methods allowed carry the
 * {@code RateLimit-Policy} and {@code RateLimit} fields of the limit that decided, whatever the handler returns;
 * denied answers stay pielock's 429. Each test limits its own key ({@code k}).
 */
@SpringBootTest(classes = RateLimitHeadersHttpTest.WebApp.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class RateLimitHeadersHttpTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private Quotas quotas;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> TestRedis.endpoint().host());
        registry.add("spring.data.redis.port", () -> TestRedis.endpoint().port());
        registry.add("pielock.key-prefix", () -> "test-" + UUID.randomUUID() + ":");
    }

    @Test
    void allowedAnswersCarryThePolicyAndTheCallsLeftCountingDown() throws Exception {
        for (long left = 2; left >= 0; left--) {
            HttpResponse<String> allowed = get("/body?k=countdown");
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.body()).isEqualTo("body countdown");
            assertThat(allowed.headers().allValues("RateLimit-Policy")).containsExactly("\"3-per-1m\";q=3;w=60");
            assertThat(allowed.headers().allValues("RateLimit")).containsExactly("\"3-per-1m\";r=" + left);
            assertThat(allowed.headers().firstValue("Retry-After")).isEmpty();
        }
    }

    @Test
    void aDeniedCallIsStillAnswered429WithItsOwnFieldsOnly() throws Exception {
        for (int call = 0; call < 3; call++) {
            assertThat(get("/body?k=denied").statusCode()).isEqualTo(200);
        }

        HttpResponse<String> denied = get("/body?k=denied");

        assertThat(denied.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(denied.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(denied.headers().allValues("RateLimit-Policy")).containsExactly("\"3-per-1m\";q=3;w=60");
        assertThat(denied.headers().allValues("RateLimit")).containsExactly("\"3-per-1m\";r=0;t=" + retryAfter);
        assertThat(denied.body()).contains("\"violated-policies\":[\"3-per-1m\"]");
    }

    @Test
    void aWeightedCallReportsWhatIsLeftAfterItsWholeCostAndACostThatCanNeverPassIs429() throws Exception {
        HttpResponse<String> three = get("/weighted?k=weighted&n=3");
        assertThat(three.statusCode()).isEqualTo(200);
        assertThat(three.headers().allValues("RateLimit")).containsExactly("\"5-per-1m\";r=2");
        HttpResponse<String> denied = get("/weighted?k=weighted&n=3");
        assertThat(denied.statusCode()).isEqualTo(429);
        assertThat(denied.headers().allValues("RateLimit").get(0)).startsWith("\"5-per-1m\";r=0;t=");
        assertThat(get("/weighted?k=weighted&n=2").headers().allValues("RateLimit"))
            .as("the denied 3 took nothing").containsExactly("\"5-per-1m\";r=0");
        HttpResponse<String> never = get("/weighted?k=never&n=6");
        assertThat(never.statusCode()).isEqualTo(429);
        assertThat(never.headers().firstValue("Retry-After")).as("the window").hasValue("60");
        assertThat(get("/weighted?k=never&n=5").statusCode()).as("nothing was counted").isEqualTo(200);
    }

    @Test
    void aResponseEntityHandlerGetsTheFieldsBesideItsOwnHeaders() throws Exception {
        HttpResponse<String> allowed = get("/entity?k=entity");
        assertThat(allowed.statusCode()).isEqualTo(202);
        assertThat(allowed.headers().firstValue("X-Own")).hasValue("kept");
        assertThat(allowed.headers().allValues("RateLimit-Policy")).containsExactly("\"3-per-1m\";q=3;w=60");
        assertThat(allowed.headers().allValues("RateLimit")).containsExactly("\"3-per-1m\";r=2");
    }

    @Test
    void aResponseEntityWithoutABodyGetsTheFields() throws Exception {
        HttpResponse<String> allowed = get("/no-content?k=no-content");
        assertThat(allowed.statusCode()).isEqualTo(204);
        assertThat(allowed.headers().allValues("RateLimit")).containsExactly("\"3-per-1m\";r=2");
    }

    @Test
    void aVoidHandlerGetsTheFields() throws Exception {
        HttpResponse<String> allowed = get("/void?k=void");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().allValues("RateLimit-Policy")).containsExactly("\"3-per-1m\";q=3;w=60");
        assertThat(allowed.headers().allValues("RateLimit")).containsExactly("\"3-per-1m\";r=2");
    }

    @Test
    void aVoidHandlerWithAResponseStatusGetsTheFields() throws Exception {
        HttpResponse<String> allowed = get("/void-status?k=void-status");
        assertThat(allowed.statusCode()).isEqualTo(204);
        assertThat(allowed.headers().allValues("RateLimit")).containsExactly("\"3-per-1m\";r=2");
    }

    @Test
    void ofSeveralLimitsOnOneMethodTheOneWithFewestCallsLeftIsReported() throws Exception {
        HttpResponse<String> allowed = get("/two-limits?k=two-limits");
        assertThat(allowed.headers().allValues("RateLimit-Policy")).containsExactly("\"3-per-1h\";q=3;w=3600");
        assertThat(allowed.headers().allValues("RateLimit")).containsExactly("\"3-per-1h\";r=2");
    }

    @Test
    void limitedServiceMethodsCalledByAnUnlimitedHandlerReportTheMostRestrictive() throws Exception {
        HttpResponse<String> allowed = get("/services?k=services");
        assertThat(allowed.body()).isEqualTo("per user, global");
        assertThat(allowed.headers().allValues("RateLimit-Policy")).containsExactly("\"2-per-1m\";q=2;w=60");
        assertThat(allowed.headers().allValues("RateLimit")).containsExactly("\"2-per-1m\";r=1");
    }

    @Test
    void aCallDeniedToItsFallbackIsAnsweredWithNoQuotaLeftAndTheWait() throws Exception {
        assertThat(get("/fallback?k=fallback").headers().allValues("RateLimit")).containsExactly("\"1-per-1m\";r=0");

        HttpResponse<String> fallback = get("/fallback?k=fallback");

        assertThat(fallback.statusCode()).isEqualTo(200);
        assertThat(fallback.body()).isEqualTo("busy");
        assertThat(fallback.headers().allValues("RateLimit-Policy")).containsExactly("\"1-per-1m\";q=1;w=60");
        assertThat(fallback.headers().allValues("RateLimit").get(0)).matches("\"1-per-1m\";r=0;t=([1-9]|[1-5][0-9]|60)");
    }

    @Test
    void aCallOutsideAnyRequestLeavesNothingBehind() throws Exception {
        assertThat(this.quotas.global("outside")).isEqualTo("global");
        assertThat(RequestContextHolder.getRequestAttributes()).isNull();
        HttpResponse<String> unlimited = get("/unlimited");
        assertThat(unlimited.statusCode()).isEqualTo(200);
        assertThat(unlimited.headers().firstValue("RateLimit")).isEmpty();
        assertThat(unlimited.headers().firstValue("RateLimit-Policy")).isEmpty();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({ LimitedController.class, UnlimitedController.class, Quotas.class })
    static class WebApp {
    }

    /** Handler methods limited to 3 calls a minute per {@code k}, one for each kind of answer. */
    @RestController
    static class LimitedController {

        @GetMapping("/body")
        @RateLimited(key = "#k", per = TimeUnit.MINUTE, count = 3)
        public String body(@RequestParam String k) {
            return "body " + k;
        }

        @GetMapping("/weighted")
        @RateLimited(key = "#k", per = TimeUnit.MINUTE, count = 5, cost = "#n")
        public String weighted(@RequestParam String k, @RequestParam int n) {
            return "weighted " + n;
        }

        @GetMapping("/entity")
        @RateLimited(key = "#k", per = TimeUnit.MINUTE, count = 3)
        public ResponseEntity<String> entity(@RequestParam String k) {
            return ResponseEntity.accepted().header("X-Own", "kept").body("entity " + k);
        }

        @GetMapping("/no-content")
        @RateLimited(key = "#k", per = TimeUnit.MINUTE, count = 3)
        public ResponseEntity<Void> noContent(@RequestParam String k) {
            return ResponseEntity.noContent().build();
        }

        @GetMapping("/void")
        @RateLimited(key = "#k", per = TimeUnit.MINUTE, count = 3)
        public void nothing(@RequestParam String k) {
        }

        @GetMapping("/void-status")
        @ResponseStatus(HttpStatus.NO_CONTENT)
        @RateLimited(key = "#k", per = TimeUnit.MINUTE, count = 3)
        public void nothingWithStatus(@RequestParam String k) {
        }

        @GetMapping("/two-limits")
        @RateLimited(key = "#k", per = TimeUnit.HOUR, count = 3)
        @RateLimited(key = "#k", per = TimeUnit.MINUTE, count = 10)
        public String twoLimits(@RequestParam String k) {
            return "two limits";
        }

        @GetMapping("/fallback")
        @RateLimited(key = "#k", per = TimeUnit.MINUTE, count = 1, fallback = "busy")
        public String fallback(@RequestParam String k) {
            return "served";
        }

        public String busy(String k, RateLimitExceededException ex) {
            return "busy";
        }
    }

    /** Handlers without limits of their own. */
    @RestController
    static class UnlimitedController {

        private final Quotas quotas;

        UnlimitedController(Quotas quotas) {
            this.quotas = quotas;
        }

        @GetMapping("/services")
        public String services(@RequestParam String k) {
            return this.quotas.perUser(k) + ", " + this.quotas.global(k);
        }

        @GetMapping("/unlimited")
        public String unlimited() {
            return "unlimited";
        }
    }

    /** Limited service methods. */
    static class Quotas {

        @RateLimited(key = "'user:' + #k", per = TimeUnit.MINUTE, count = 10)
        public String perUser(String k) {
            return "per user";
        }

        @RateLimited(key = "'global:' + #k", per = TimeUnit.MINUTE, count = 2)
        public String global(String k) {
            return "global";
        }
    }
}
