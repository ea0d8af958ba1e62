package io.pielock.web.reactive;

import java.util.UUID;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.pielock.test.RedisCluster;

/** The WebFlux rate limit answers on a three-master Redis Cluster, through the reactive store. */
@SpringBootTest(classes = AbstractWebFluxRateLimitTest.WebApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "spring.main.web-application-type=reactive")
class RedisClusterWebFluxRateLimitTest extends AbstractWebFluxRateLimitTest {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.cluster.nodes", () -> RedisCluster.shared().nodes());
        registry.add("pielock.key-prefix", () -> "test-" + UUID.randomUUID() + ":");
    }
}
