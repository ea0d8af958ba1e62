package io.pielock.reactive;

import java.util.UUID;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.pielock.test.TestRedis;

/** No oversell over WebFlux with locks and stock in a real Redis. */
class RedisWebFluxNoOversellTest extends AbstractWebFluxNoOversellTest {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> TestRedis.endpoint().host());
        registry.add("spring.data.redis.port", () -> TestRedis.endpoint().port());
        registry.add("pielock.key-prefix", () -> "test-" + UUID.randomUUID() + ":");
    }
}
