package io.pielock.reactive;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.pielock.test.RedisCluster;

/** No oversell over WebFlux with locks and stock in a real Redis Cluster. */
class RedisClusterWebFluxNoOversellTest extends AbstractWebFluxNoOversellTest {

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry registry) {
        for (String property : RedisCluster.shared().springProperties()) {
            int equals = property.indexOf('=');
            registry.add(property.substring(0, equals), () -> property.substring(equals + 1));
        }
    }
}
