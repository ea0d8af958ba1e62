package io.pielock.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The HTTP rate limit rules in Spring MVC, on the in-memory store. */
@SpringBootTest(classes = AbstractHttpRulesTest.WebApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.main.web-application-type=servlet", "pielock.store=memory" })
class MemoryHttpRulesTest extends AbstractHttpRulesTest {

    @DynamicPropertySource
    static void rules(DynamicPropertyRegistry registry) {
        RedisHttpRulesTest.rules(registry);
    }
}
