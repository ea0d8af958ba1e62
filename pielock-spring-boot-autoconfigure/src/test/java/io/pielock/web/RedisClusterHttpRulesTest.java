package io.pielock.web;

import java.util.UUID;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.pielock.test.RedisCluster;

/** The HTTP rate limit rules in Spring MVC, on a three-master Redis Cluster. */
@SpringBootTest(classes = AbstractHttpRulesTest.WebApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "spring.main.web-application-type=servlet")
class RedisClusterHttpRulesTest extends AbstractHttpRulesTest {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.cluster.nodes", () -> RedisCluster.shared().nodes());
        registry.add("pielock.key-prefix", () -> "test-" + UUID.randomUUID() + ":");
        RedisHttpRulesTest.rules(registry);
    }
}
