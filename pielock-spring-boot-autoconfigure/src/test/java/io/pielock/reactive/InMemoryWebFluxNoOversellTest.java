package io.pielock.reactive;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/** No oversell over WebFlux with locks and stock on the memory store. */
@TestPropertySource(properties = "pielock.store=memory")
@Import(TemporaryReactiveLockTemplate.class) // TEMPORARY until i12-locks auto-configures the template
class InMemoryWebFluxNoOversellTest extends AbstractWebFluxNoOversellTest {
}
