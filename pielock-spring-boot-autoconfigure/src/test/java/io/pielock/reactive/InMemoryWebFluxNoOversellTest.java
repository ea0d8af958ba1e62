package io.pielock.reactive;

import org.springframework.test.context.TestPropertySource;

/** No oversell over WebFlux with locks and stock on the memory store. */
@TestPropertySource(properties = "pielock.store=memory")
class InMemoryWebFluxNoOversellTest extends AbstractWebFluxNoOversellTest {
}
