package io.pielock.web.reactive;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The WebFlux HTTP rules on the in-memory store: the same tests. */
class MemoryWebFluxHttpRulesTest extends RedisWebFluxHttpRulesTest {

    @DynamicPropertySource
    static void memory(DynamicPropertyRegistry registry) {
        registry.add("pielock.store", () -> "memory");
    }
}
