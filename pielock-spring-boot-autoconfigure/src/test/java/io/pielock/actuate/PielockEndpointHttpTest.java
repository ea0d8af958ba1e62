package io.pielock.actuate;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.pielock.annotation.DistributedLocked;
import io.pielock.annotation.RateLimited;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockTemplate;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP, against a real Redis: the {@code pielock} actuator endpoint and health indicator of a Spring MVC
 * application with Boot's actuator.
 */
class PielockEndpointHttpTest {

    private static final String EXPOSED = "management.endpoints.web.exposure.include=pielock";

    private final HttpClient http = HttpClient.newHttpClient();

    private final JsonMapper json = JsonMapper.builder().build();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final String user = "alice-" + UUID.randomUUID();

    private ConfigurableApplicationContext app;

    @AfterEach
    void close() throws Exception {
        for (int i = this.closeables.size() - 1; i >= 0; i--) {
            this.closeables.get(i).close();
        }
    }

    @Test
    void theEndpointIsNotExposedOverHttpByDefault() throws Exception {
        start();

        assertThat(get("/actuator/pielock").statusCode()).isEqualTo(404);
        assertThat(get("/actuator/pielock/locks/anything").statusCode()).isEqualTo(404);
        assertThat(get("/actuator/health").statusCode()).as("the actuator itself runs").isEqualTo(200);
    }

    @Test
    void theEndpointShowsTheStoreTheDefaultsAHeldLockAndTheThreadsWaitingForIt() throws Exception {
        start(EXPOSED, "pielock.lock.expires=20s");
        LockTemplate locks = this.app.getBean(LockTemplate.class);
        String key = "orders:" + this.user;
        LockHandle held = locks.lock(key);
        Thread waiter = new Thread(() -> locks.run(key, () -> { }), "test-waiter");
        waiter.start();
        try {
            JsonNode report = awaitReport(body -> body.path("waitingThreads").size() == 1);

            assertThat(report.path("store").path("type").asString()).isEqualTo("redis");
            assertThat(report.path("store").path("description").asString())
                .isEqualTo("Redis at " + TestRedis.endpoint().host() + ":" + TestRedis.endpoint().port());
            assertThat(report.path("lock").path("expires").asString()).isEqualTo("PT20S");
            assertThat(report.path("lock").path("timeout").asString()).isEqualTo("PT1M");
            assertThat(report.path("lock").path("tries").asInt()).isZero();
            assertThat(report.path("limiter").path("failOpen").asBoolean()).isFalse();
            assertThat(report.path("limiter").path("rememberDenials").asBoolean())
                .as("the Redis store remembers denials by default").isTrue();
            JsonNode hold = report.path("heldLocks").get(0);
            assertThat(report.path("heldLocks").size()).isEqualTo(1);
            assertThat(hold.path("key").asString()).isEqualTo("******");
            assertThat(hold.path("fencingToken").asLong()).isEqualTo(held.fencingToken());
            assertThat(hold.path("thread").asString()).isEqualTo(Thread.currentThread().getName());
            assertThat(hold.path("depth").asInt()).isEqualTo(1);
            assertThat(Duration.parse(hold.path("leaseLeft").asString())).isPositive()
                .isLessThanOrEqualTo(Duration.ofSeconds(20));
            assertThat(hold.path("heldSince").asString()).isNotBlank();
            assertThat(report.path("waitingThreads").get(0).path("key").asString()).isEqualTo("******");
            assertThat(report.path("waitingThreads").get(0).path("threads").asInt()).isEqualTo(1);
            assertThat(report.toString()).as("keys carry user data").doesNotContain(this.user);
        }
        finally {
            held.close();
            waiter.join(TimeUnit.SECONDS.toMillis(20));
        }
    }

    @Test
    void theEndpointListsTheAnnotatedMethodsWithTheirKeyExpressionsAndLimits() throws Exception {
        start(EXPOSED);

        JsonNode report = report("/actuator/pielock");

        JsonNode locked = report.path("lockedMethods").get(0);
        assertThat(report.path("lockedMethods").size()).isEqualTo(1);
        assertThat(locked.path("bean").asString()).isEqualTo("shippingService");
        assertThat(locked.path("method").asString()).isEqualTo(ShippingService.class.getName() + ".ship(String)");
        assertThat(locked.path("key").asString()).isEqualTo("#orderId");
        assertThat(locked.path("prefix").asString()).isEqualTo("orders:");
        assertThat(locked.path("timeout").asString()).as("the method's own").isEqualTo("PT5S");
        assertThat(locked.path("expires").asString()).as("the default").isEqualTo("PT30S");
        assertThat(locked.path("problem").isValueNode()).isFalse();
        assertThat(report.path("rateLimitedMethods").size()).isEqualTo(2);
        JsonNode limited = report.path("rateLimitedMethods").get(1);
        assertThat(limited.path("method").asString()).isEqualTo(ShippingService.class.getName() + ".quote(String)");
        assertThat(limited.path("cost").asString()).isEqualTo("1");
        JsonNode keyLimits = limited.path("keys").get(0);
        assertThat(keyLimits.path("key").asString()).isEqualTo("#user");
        assertThat(keyLimits.path("expression").asBoolean()).isTrue();
        assertThat(keyLimits.path("limits").get(0).path("count").asLong()).isEqualTo(2);
        assertThat(keyLimits.path("limits").get(0).path("window").asString()).isEqualTo("PT1S");
        assertThat(keyLimits.path("limits").get(0).path("algorithm").asString()).isEqualTo("SLIDING_WINDOW");
    }

    @Test
    void aRateLimitedMethodShowsItsCostConditionAndNamedLimit() throws Exception {
        start(EXPOSED);

        JsonNode limited = report("/actuator/pielock").path("rateLimitedMethods").get(0);

        assertThat(limited.path("method").asString())
            .isEqualTo(ShippingService.class.getName() + ".bulkQuote(String, String, List)");
        assertThat(limited.path("cost").asString()).isEqualTo("#items.size()");
        JsonNode keyLimits = limited.path("keys").get(0);
        assertThat(keyLimits.path("key").asString()).isEqualTo("#user");
        assertThat(keyLimits.path("condition").asString()).isEqualTo("#user != 'admin'");
        assertThat(keyLimits.path("namedLimits").get(0).path("limit").asString()).isEqualTo("#plan");
        assertThat(keyLimits.path("namedLimits").get(0).path("expression").asBoolean()).isTrue();
        assertThat(keyLimits.path("limits").size()).as("no inline limits").isZero();
    }

    @Test
    void theEndpointListsTheNamedLimitsAsCallsFindThemNowAndTheHttpRules() throws Exception {
        start(EXPOSED, "pielock.limiter.limits.free=5/1s, 100/1m", "pielock.limiter.limits.pro=50/1s",
                "pielock.limiter.http.rules[0].name=by-ip", "pielock.limiter.http.rules[0].paths=/api/**,/v2/**",
                "pielock.limiter.http.rules[0].methods=post,GET", "pielock.limiter.http.rules[0].key=#request.remoteAddr",
                "pielock.limiter.http.rules[0].limits=20/1s",
                "pielock.limiter.http.rules[0].cost=#request.getHeader('X-Batch-Size')",
                "pielock.limiter.http.rules[1].paths=/reports", "pielock.limiter.http.rules[1].key=#principal?.name",
                "pielock.limiter.http.rules[1].limit=free", "pielock.limiter.http.rules[1].cost=3");

        JsonNode report = report("/actuator/pielock");

        JsonNode named = report.path("namedLimits");
        assertThat(named.size()).isEqualTo(2);
        assertThat(named.get(0).path("name").asString()).isEqualTo("free");
        assertThat(named.get(0).path("limits").size()).isEqualTo(2);
        assertThat(named.get(0).path("limits").get(1).path("count").asLong()).isEqualTo(100);
        assertThat(named.get(0).path("limits").get(1).path("window").asString()).isEqualTo("PT1M");
        assertThat(named.get(1).path("name").asString()).isEqualTo("pro");
        JsonNode rules = report.path("httpRules");
        assertThat(rules.size()).isEqualTo(2);
        JsonNode byIp = rules.get(0);
        assertThat(byIp.path("name").asString()).isEqualTo("by-ip");
        assertThat(byIp.path("paths").toString()).isEqualTo("[\"/api/**\",\"/v2/**\"]");
        assertThat(byIp.path("methods").toString()).isEqualTo("[\"GET\",\"POST\"]");
        assertThat(byIp.path("key").asString()).isEqualTo("#request.remoteAddr");
        assertThat(byIp.path("limits").get(0).path("count").asLong()).isEqualTo(20);
        assertThat(byIp.path("cost").asString()).isEqualTo("#request.getHeader('X-Batch-Size')");
        JsonNode reports = rules.get(1);
        assertThat(reports.path("name").asString()).isEqualTo("pielock.limiter.http.rules[1]");
        assertThat(reports.path("methods").size()).as("all methods").isZero();
        assertThat(reports.path("limit").asString()).isEqualTo("free");
        assertThat(reports.path("cost").asString()).isEqualTo("3");
    }

    @Test
    void aChangedNamedLimitIsShownAsCallsFindIt() throws Exception {
        start(EXPOSED, "pielock.limiter.limits.free=5/1s");
        this.app.getEnvironment().getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource(
                "changed", java.util.Map.of("pielock.limiter.limits.free", "7/1s")));

        JsonNode free = report("/actuator/pielock").path("namedLimits").get(0);

        assertThat(free.path("limits").get(0).path("count").asLong()).isEqualTo(7);
        assertThat(report("/actuator/pielock").path("httpRules").size()).as("no rules").isZero();
    }

    @Test
    void keysAreShownWhenShowValuesIsAlways() throws Exception {
        start(EXPOSED, "management.endpoint.pielock.show-values=always");
        LockTemplate locks = this.app.getBean(LockTemplate.class);
        String key = "orders:" + this.user;

        try (LockHandle held = locks.lock(key)) {
            JsonNode report = report("/actuator/pielock");

            assertThat(report.path("heldLocks").get(0).path("key").asString()).isEqualTo(key);
            assertThat(report("/actuator/pielock/locks/" + encode(key)).path("key").asString()).isEqualTo(key);
        }
    }

    @Test
    void aHeldLockIsShownAsTheStoreSeesItAndAsHeldByThisJvm() throws Exception {
        start(EXPOSED, "pielock.lock.expires=20s");
        LockTemplate locks = this.app.getBean(LockTemplate.class);
        String key = "orders/" + this.user;

        try (LockHandle held = locks.lock(key)) {
            JsonNode lock = report("/actuator/pielock/locks/" + encode(key).replace("%2F", "/"));

            assertThat(lock.path("key").asString()).isEqualTo("******");
            assertThat(lock.path("state").asString()).isEqualTo("held");
            assertThat(Duration.parse(lock.path("leaseLeft").asString())).isPositive()
                .isLessThanOrEqualTo(Duration.ofSeconds(20));
            assertThat(lock.path("lastFencingToken").asLong()).isEqualTo(held.fencingToken());
            assertThat(lock.path("heldHere").path("fencingToken").asLong()).isEqualTo(held.fencingToken());
        }
    }

    @Test
    void aLockHeldByAnotherProcessIsHeldButNotHere() throws Exception {
        start(EXPOSED);
        String key = "orders:" + this.user;
        LockTemplate otherProcess = otherProcess();

        otherProcess.acquire(key);

        JsonNode lock = report("/actuator/pielock/locks/" + encode(key));
        assertThat(lock.path("state").asString()).isEqualTo("held");
        assertThat(lock.path("heldHere").isObject()).isFalse();
        otherProcess.release(key);
    }

    @Test
    void anotherKindThanLocksIsNotFound() throws Exception {
        start(EXPOSED);

        assertThat(get("/actuator/pielock/limits/" + encode(this.user)).statusCode()).isEqualTo(404);
    }

    @Test
    void aFreeKeyIsFreeWithNoFencingToken() throws Exception {
        start(EXPOSED);

        JsonNode lock = report("/actuator/pielock/locks/" + encode("never:" + this.user));

        assertThat(lock.path("state").asString()).isEqualTo("free");
        assertThat(lock.path("leaseLeft").isValueNode()).isFalse();
        assertThat(lock.path("lastFencingToken").isValueNode()).as("none issued").isFalse();
        assertThat(lock.path("heldHere").isObject()).isFalse();
    }

    @Test
    void theHealthIndicatorPingsPielocksOwnRedisConnection() throws Exception {
        start("pielock.redis.host=" + TestRedis.endpoint().host(), "pielock.redis.port=" + TestRedis.endpoint().port(),
                "management.endpoint.health.show-components=always");

        HttpResponse<String> health = get("/actuator/health/pielock");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(this.json.readTree(health.body()).path("status").asString()).isEqualTo("UP");
        assertThat(this.json.readTree(get("/actuator/health").body()).path("components").has("pielock")).isTrue();
    }

    @Test
    void withoutADedicatedConnectionThereIsNoPielockHealthIndicator() throws Exception {
        start("management.endpoint.health.show-components=always");

        assertThat(get("/actuator/health/pielock").statusCode()).isEqualTo(404);
        JsonNode components = this.json.readTree(get("/actuator/health").body()).path("components");
        assertThat(components.has("redis")).as("Boot's own covers the application's Redis").isTrue();
        assertThat(components.has("pielock")).isFalse();
    }

    private void start(String... properties) {
        List<String> all = new ArrayList<>(List.of(TestRedis.endpoint().springProperties()));
        all.add("server.port=0");
        all.add("pielock.key-prefix=test-" + UUID.randomUUID() + ":");
        all.addAll(List.of(properties));
        this.app = new SpringApplicationBuilder(WebApp.class).properties(all.toArray(String[]::new)).run();
        this.closeables.add(this.app);
    }

    private LockTemplate otherProcess() {
        var factory = TestRedis.connectionFactory();
        this.closeables.add(factory::destroy);
        var store = new io.pielock.store.redis.RedisLockStore(factory,
                this.app.getBean(io.pielock.store.redis.RedisKeys.class));
        this.closeables.add(store::destroy);
        LockTemplate template = new LockTemplate(store, LockOptions.defaults());
        this.closeables.add(template);
        return template;
    }

    private JsonNode awaitReport(java.util.function.Predicate<JsonNode> condition) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode report = report("/actuator/pielock");
        while (!condition.test(report)) {
            assertThat(System.nanoTime()).as("condition met within 20 s: " + report).isLessThan(giveUp);
            Thread.sleep(20);
            report = report("/actuator/pielock");
        }
        return report;
    }

    private JsonNode report(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return this.json.readTree(response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        int port = ((WebServerApplicationContext) this.app).getWebServer().getPort();
        return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WebApp {

        @Bean
        ShippingService shippingService() {
            return new ShippingService();
        }
    }

    static class ShippingService {

        @DistributedLocked(key = "#orderId", prefix = "orders:", timeout = "5s")
        public void ship(String orderId) {
        }

        @RateLimited(key = "#user", per = io.pielock.limiter.TimeUnit.SECOND, count = 2)
        public String quote(String user) {
            return "quote for " + user;
        }

        @RateLimited(key = "#user", limit = "#plan", condition = "#user != 'admin'", cost = "#items.size()")
        public String bulkQuote(String user, String plan, List<String> items) {
            return "quotes for " + user;
        }
    }
}
