package io.pielock.web.reactive;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/** The WebFlux rate limit answers on the memory store. */
@SpringBootTest(classes = AbstractWebFluxRateLimitTest.WebApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.main.web-application-type=reactive", "pielock.store=memory" })
class MemoryWebFluxRateLimitTest extends AbstractWebFluxRateLimitTest {
}
