package io.pielock.web.reactive;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.pielock.test.RedisCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebFlux HTTP rules on a three-master Redis Cluster: the same tests, with the cluster's nodes (Spring Boot
 * prefers a configured cluster to the single host the parent also registers).
 */
class RedisClusterWebFluxHttpRulesTest extends RedisWebFluxHttpRulesTest {

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.cluster.nodes", () -> RedisCluster.shared().nodes());
    }

    @Test
    void theApplicationTalksToTheCluster(@Autowired LettuceConnectionFactory connectionFactory) {
        assertThat(connectionFactory.isClusterAware()).isTrue();
    }
}
