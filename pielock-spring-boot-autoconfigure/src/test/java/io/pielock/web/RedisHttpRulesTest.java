package io.pielock.web;

import java.util.UUID;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.pielock.test.TestRedis;

/** The HTTP rate limit rules in Spring MVC, on Redis. */
@SpringBootTest(classes = AbstractHttpRulesTest.WebApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "spring.main.web-application-type=servlet")
class RedisHttpRulesTest extends AbstractHttpRulesTest {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> TestRedis.endpoint().host());
        registry.add("spring.data.redis.port", () -> TestRedis.endpoint().port());
        registry.add("pielock.key-prefix", () -> "test-" + UUID.randomUUID() + ":");
        rules(registry);
    }

    static void rules(DynamicPropertyRegistry registry) {
        for (String rule : RULES) {
            int equals = rule.indexOf('=');
            registry.add(rule.substring(0, equals), () -> rule.substring(equals + 1));
        }
    }
}
