package io.pielock.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.util.UUID;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

import io.pielock.annotation.RateLimited;
import io.pielock.limiter.TimeUnit;
import io.pielock.test.CapturedLogs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP in Spring MVC: {@code pielock.limiter.http.rules} limit requests by path, method and a key (client
 * address behind a proxy, header, principal) with no code, answer denials with pielock's 429, and put the fields of
 * the most restrictive decision on allowed answers. Subclassed once per store; each test uses its own keys.
 */
abstract class AbstractHttpRulesTest {

    /** The rules every subclass runs with. */
    static final String[] RULES = {
            "server.forward-headers-strategy=framework",
            "pielock.limiter.limits.free=3/1m",
            "pielock.limiter.http.rules[0].name=by-ip",
            "pielock.limiter.http.rules[0].paths=/ip/**",
            "pielock.limiter.http.rules[0].key=#request.remoteAddr",
            "pielock.limiter.http.rules[0].limits=2/1m",
            "pielock.limiter.http.rules[1].name=by-api-key",
            "pielock.limiter.http.rules[1].paths=/header",
            "pielock.limiter.http.rules[1].methods=POST",
            "pielock.limiter.http.rules[1].key=#request.getHeader('X-Api-Key')",
            "pielock.limiter.http.rules[1].limits=2/1m",
            "pielock.limiter.http.rules[2].name=by-user",
            "pielock.limiter.http.rules[2].paths=/user,/profile",
            "pielock.limiter.http.rules[2].key=#principal?.name",
            "pielock.limiter.http.rules[2].limit=free",
            "pielock.limiter.http.rules[3].name=wide",
            "pielock.limiter.http.rules[3].paths=/both",
            "pielock.limiter.http.rules[3].key=#request.getHeader('X-A')",
            "pielock.limiter.http.rules[3].limits=5/1m",
            "pielock.limiter.http.rules[4].name=narrow",
            "pielock.limiter.http.rules[4].paths=/both",
            "pielock.limiter.http.rules[4].key=#request.getHeader('X-B')",
            "pielock.limiter.http.rules[4].limits=1/1m",
            "pielock.limiter.http.rules[5].paths=/annotated",
            "pielock.limiter.http.rules[5].key=#request.getHeader('X-A')",
            "pielock.limiter.http.rules[5].limits=10/1m",
            "pielock.limiter.http.rules[6].name=error-page",
            "pielock.limiter.http.rules[6].paths=/error",
            "pielock.limiter.http.rules[6].key=#request.getHeader('X-A')",
            "pielock.limiter.http.rules[6].limits=1/1m",
            "pielock.limiter.http.rules[7].name=batch",
            "pielock.limiter.http.rules[7].paths=/batch",
            "pielock.limiter.http.rules[7].key=#request.getHeader('X-A')",
            "pielock.limiter.http.rules[7].limits=5/1m",
            "pielock.limiter.http.rules[7].cost=#request.getHeader('X-Batch-Size')",
            "pielock.limiter.http.rules[8].name=heavy-wide",
            "pielock.limiter.http.rules[8].paths=/heavy",
            "pielock.limiter.http.rules[8].key=#request.getHeader('X-A')",
            "pielock.limiter.http.rules[8].limits=10/1m",
            "pielock.limiter.http.rules[8].cost=2",
            "pielock.limiter.http.rules[9].name=heavy-narrow",
            "pielock.limiter.http.rules[9].paths=/heavy",
            "pielock.limiter.http.rules[9].key=#request.getHeader('X-B')",
            "pielock.limiter.http.rules[9].limits=3/1m",
            "pielock.limiter.http.rules[9].cost=#request.getHeader('X-Batch-Size')",
            "pielock.limiter.http.rules[10].name=throttled",
            "pielock.limiter.http.rules[10].paths=/throttled",
            "pielock.limiter.http.rules[10].key=#request.getHeader('X-Missing')",
            "pielock.limiter.http.rules[10].limits=5/1m" };

    private final HttpClient http = HttpClient.newHttpClient();

    private final String id = UUID.randomUUID().toString();

    @LocalServerPort
    private int port;

    @Test
    void theClientAddressFromXForwardedForIsTheKeyAndAllowedAnswersCarryTheFields() throws Exception {
        for (long left = 1; left >= 0; left--) {
            HttpResponse<String> allowed = send("GET", "/ip/a", "X-Forwarded-For", "203.0.113.7, 10.0.0.1");
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.headers().allValues("RateLimit-Policy")).containsExactly("\"2-per-1m\";q=2;w=60");
            assertThat(allowed.headers().allValues("RateLimit")).containsExactly("\"2-per-1m\";r=" + left);
        }
        HttpResponse<String> denied = send("GET", "/ip/b", "X-Forwarded-For", "203.0.113.7");
        assertThat(denied.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(denied.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(denied.headers().allValues("RateLimit-Policy")).containsExactly("\"2-per-1m\";q=2;w=60");
        assertThat(denied.headers().allValues("RateLimit")).containsExactly("\"2-per-1m\";r=0;t=" + retryAfter);
        assertThat(denied.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(denied.body()).contains("\"violated-policies\":[\"2-per-1m\"]");
        assertThat(send("GET", "/ip/a", "X-Forwarded-For", "203.0.113.8").statusCode())
            .as("another client address has its own count").isEqualTo(200);
    }

    @Test
    void aRuleForPostLimitsPostsByHeaderAndLeavesGetsAlone() throws Exception {
        String apiKey = "key-" + this.id;
        assertThat(send("POST", "/header", "X-Api-Key", apiKey).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/header", "X-Api-Key", apiKey).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/header", "X-Api-Key", apiKey).statusCode()).isEqualTo(429);
        HttpResponse<String> get = send("GET", "/header", "X-Api-Key", apiKey);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("RateLimit")).as("no rule decided the GET").isEmpty();
        assertThat(send("POST", "/header", "X-Api-Key", "other-" + this.id).statusCode()).isEqualTo(200);
    }

    @Test
    void pathsThatNoRuleMatchesAreNotLimited() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> free = send("GET", "/open", "X-A", this.id);
            assertThat(free.statusCode()).isEqualTo(200);
            assertThat(free.headers().firstValue("RateLimit")).isEmpty();
        }
    }

    @Test
    void thePrincipalsNameIsTheKeyWithANamedLimitOverSeveralPaths() throws Exception {
        String user = "user-" + this.id;
        assertThat(send("GET", "/user", "X-User", user).body()).isEqualTo("hello " + user);
        assertThat(send("GET", "/profile", "X-User", user).statusCode()).isEqualTo(200);
        HttpResponse<String> third = send("GET", "/user", "X-User", user);
        assertThat(third.headers().allValues("RateLimit")).containsExactly("\"3-per-1m\";r=0");
        assertThat(send("GET", "/profile", "X-User", user).statusCode()).isEqualTo(429);
        assertThat(send("GET", "/user", "X-User", "other-" + user).statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestWithoutAKeyIsDeniedWith500AndLoggedAsAnErrorNamingTheRuleAndThePath() throws Exception {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            for (int i = 0; i < 2; i++) {
                assertThat(send("GET", "/user", "X-Nobody", "x").statusCode()).isEqualTo(500);
            }
            assertThat(logs.text()).contains("ERROR").contains("Rate limit rule by-user (key: #principal?.name)")
                .contains("GET /user").contains("pielock.limiter.http.on-missing-key");
        }
    }

    @Test
    void aRulesMissingKeyIsAnsweredWithAProblemDetailAndLoggedOnceInTenSecondsNotOncePerRequest()
            throws Exception {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> failed = send("GET", "/throttled");
                assertThat(failed.statusCode()).isEqualTo(500);
                assertThat(failed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(failed.body()).contains("\"title\":\"Rate Limit Rule Failed\"")
                    .contains("\"status\":500").contains("could not be rate limited")
                    .contains("\"instance\":\"/throttled\"").doesNotContain("X-Missing");
            }
            assertThat(logs.text().lines().filter(line -> line.contains("Rate limit rule throttled ")))
                .singleElement().asString().startsWith("ERROR").contains("GET /throttled")
                .contains("next report of this rule in 10s at the earliest");
        }
    }

    @Test
    void aRuleWithACostExpressionTakesThatManyPermitsPerRequest() throws Exception {
        String a = "batch-" + this.id;
        HttpResponse<String> two = send("GET", "/batch", "X-A", a, "X-Batch-Size", "2");
        assertThat(two.statusCode()).isEqualTo(200);
        assertThat(two.headers().allValues("RateLimit")).containsExactly("\"5-per-1m\";r=3");
        HttpResponse<String> three = send("GET", "/batch", "X-A", a, "X-Batch-Size", "3");
        assertThat(three.statusCode()).isEqualTo(200);
        assertThat(three.headers().allValues("RateLimit")).containsExactly("\"5-per-1m\";r=0");
        assertThat(send("GET", "/batch", "X-A", a, "X-Batch-Size", "1").statusCode()).isEqualTo(429);
    }

    @Test
    void aCostAboveTheCountIs429WithoutCountingAnything() throws Exception {
        String a = "never-" + this.id;
        HttpResponse<String> never = send("GET", "/batch", "X-A", a, "X-Batch-Size", "6");
        assertThat(never.statusCode()).isEqualTo(429);
        assertThat(never.headers().firstValue("Retry-After")).as("the window").hasValue("60");
        assertThat(send("GET", "/batch", "X-A", a, "X-Batch-Size", "5").statusCode()).as("nothing was counted")
            .isEqualTo(200);
    }

    @Test
    void anInvalidCostIsDeniedWith500AndLoggedNamingTheRuleAndWhatItGave() throws Exception {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            HttpResponse<String> text = send("GET", "/batch", "X-A", "bad-" + this.id, "X-Batch-Size", "many");
            assertThat(text.statusCode()).isEqualTo(500);
            assertThat(text.body()).contains("Rate Limit Rule Failed");
            assertThat(logs.text()).contains("ERROR")
                .contains("Rate limit rule batch (cost: #request.getHeader('X-Batch-Size')) gave 'many', not a "
                        + "whole number for GET /batch")
                .contains("pielock.limiter.http.on-missing-key");
        }
        assertThat(send("GET", "/batch", "X-A", "bad-" + this.id, "X-Batch-Size", "0").statusCode()).isEqualTo(500);
        assertThat(send("GET", "/batch", "X-A", "bad-" + this.id).statusCode()).as("no header: null").isEqualTo(500);
        assertThat(send("GET", "/batch", "X-A", "bad-" + this.id, "X-Batch-Size", "5").statusCode())
            .as("the invalid requests took nothing").isEqualTo(200);
    }

    @Test
    void eachRuleTakesItsOwnCostAndADenialTakesBackExactlyWhatTheOthersTook() throws Exception {
        String a = "heavy-" + this.id;
        assertThat(send("GET", "/heavy", "X-A", a, "X-B", "b0-" + this.id, "X-Batch-Size", "3").statusCode())
            .as("wide takes 2 of 10, narrow 3 of 3").isEqualTo(200);
        HttpResponse<String> denied = send("GET", "/heavy", "X-A", a, "X-B", "b0-" + this.id, "X-Batch-Size", "1");
        assertThat(denied.statusCode()).as("narrow denies; wide gives its 2 back").isEqualTo(429);
        assertThat(denied.headers().allValues("RateLimit-Policy")).containsExactly("\"3-per-1m\";q=3;w=60");
        for (int i = 1; i <= 4; i++) {
            HttpResponse<String> allowed = send("GET", "/heavy", "X-A", a, "X-B", "b" + i + "-" + this.id,
                    "X-Batch-Size", "1");
            assertThat(allowed.statusCode()).as("wide's permits %d and %d of 10", 2 * i + 1, 2 * i + 2)
                .isEqualTo(200);
        }
        HttpResponse<String> wideDenied = send("GET", "/heavy", "X-A", a, "X-B", "b5-" + this.id, "X-Batch-Size",
                "1");
        assertThat(wideDenied.statusCode()).isEqualTo(429);
        assertThat(wideDenied.headers().allValues("RateLimit-Policy")).containsExactly("\"10-per-1m\";q=10;w=60");
    }

    @Test
    void aRequestMatchingTwoRulesMustPassBothAndTheDeniedOneIsTakenBackFromTheOther() throws Exception {
        String a = "a-" + this.id;
        assertThat(send("GET", "/both", "X-A", a, "X-B", "b0-" + this.id).statusCode()).isEqualTo(200);
        HttpResponse<String> denied = send("GET", "/both", "X-A", a, "X-B", "b0-" + this.id);
        assertThat(denied.statusCode()).as("the narrow rule denies").isEqualTo(429);
        assertThat(denied.headers().allValues("RateLimit-Policy")).containsExactly("\"1-per-1m\";q=1;w=60");
        for (int i = 1; i <= 4; i++) {
            assertThat(send("GET", "/both", "X-A", a, "X-B", "b" + i + "-" + this.id).statusCode())
                .as("the wide rule counted the denied request not at all: call %d of its 5", i + 1).isEqualTo(200);
        }
        HttpResponse<String> wideDenied = send("GET", "/both", "X-A", a, "X-B", "b5-" + this.id);
        assertThat(wideDenied.statusCode()).isEqualTo(429);
        assertThat(wideDenied.headers().allValues("RateLimit-Policy")).containsExactly("\"5-per-1m\";q=5;w=60");
    }

    @Test
    void anAllowedAnswerReportsTheMostRestrictiveOfTheRulesAndTheAnnotations() throws Exception {
        HttpResponse<String> allowed = send("GET", "/annotated", "X-A", this.id);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().allValues("RateLimit-Policy")).containsExactly("\"3-per-1m\";q=3;w=60");
        assertThat(allowed.headers().allValues("RateLimit")).containsExactly("\"3-per-1m\";r=2");
    }

    @Test
    void anErrorPageDispatchIsNotCountedAsARequest() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(send("GET", "/fail", "X-A", "fail-" + this.id).statusCode()).isEqualTo(500);
        }
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Endpoints.class)
    static class WebApp {

        /** Stands in for Spring Security: the X-User header names the authenticated principal. */
        @Bean
        Filter testPrincipal() {
            return new OncePerRequestFilter() {

                @Override
                protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                        FilterChain chain) throws ServletException, IOException {
                    String user = request.getHeader("X-User");
                    chain.doFilter((user == null) ? request : new HttpServletRequestWrapper(request) {

                        @Override
                        public Principal getUserPrincipal() {
                            return () -> user;
                        }
                    }, response);
                }
            };
        }
    }

    @RestController
    static class Endpoints {

        @GetMapping({ "/ip/a", "/ip/b", "/header", "/open", "/profile", "/both", "/batch", "/heavy", "/throttled" })
        String get() {
            return "ok";
        }

        @PostMapping("/header")
        String post() {
            return "posted";
        }

        @GetMapping("/fail")
        String fail() {
            throw new IllegalStateException("failed on purpose");
        }

        @GetMapping("/user")
        String user(Principal principal) {
            return "hello " + ((principal != null) ? principal.getName() : "nobody");
        }

        @GetMapping("/annotated")
        @RateLimited(key = "'annotated-' + #root.methodName", per = TimeUnit.MINUTE, count = 3)
        String annotated() {
            return "ok";
        }
    }
}
