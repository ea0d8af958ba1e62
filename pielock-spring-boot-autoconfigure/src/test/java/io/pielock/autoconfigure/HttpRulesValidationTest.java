package io.pielock.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;

import io.pielock.web.HttpRateLimitRules;
import io.pielock.web.RateLimitRulesInterceptor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pielock.limiter.http.rules} are validated at startup: a value that cannot work fails it with an
 * {@link InvalidPielockPropertyException} naming the property; without rules, no interceptor exists.
 */
class HttpRulesValidationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class, PielockAutoConfiguration.class))
        .withPropertyValues("pielock.store=memory", "pielock.limiter.limits.free=5/1s",
                "pielock.limiter.http.rules[0].paths=/a/**", "pielock.limiter.http.rules[0].key=#request.remoteAddr",
                "pielock.limiter.http.rules[0].limit=free");

    @Test
    void validRulesGiveAServletApplicationTheInterceptor() {
        this.runner.run(context -> assertThat(context).hasSingleBean(RateLimitRulesInterceptor.class));
    }

    @Test
    void withoutRulesThereIsNoInterceptor() {
        new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class, PielockAutoConfiguration.class))
            .withPropertyValues("pielock.store=memory")
            .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RateLimitRulesInterceptor.class));
    }

    @Test
    void aBadPathPatternNamesThePattern() {
        fails("pielock.limiter.http.rules[1].paths=/b/{x", "pielock.limiter.http.rules[1].paths[0]",
                "'/b/{x' is not a path pattern");
    }

    @Test
    void aRuleWithoutPathsFails() {
        fails("pielock.limiter.http.rules[1].limits=1/1s", "pielock.limiter.http.rules[1].paths",
                "at least one path pattern");
    }

    @Test
    void anUnparsableKeyNamesTheKeyProperty() {
        fails("pielock.limiter.http.rules[1].key=#request.(", "pielock.limiter.http.rules[1].key",
                "is not a SpEL expression", "pielock.limiter.http.rules[1].paths=/b");
    }

    @Test
    void aMissingKeyFails() {
        fails("pielock.limiter.http.rules[1].limits=1/1s", "pielock.limiter.http.rules[1].key",
                "needs a key expression", "pielock.limiter.http.rules[1].paths=/b");
    }

    @Test
    void bothALimitAndLimitsFail() {
        fails("pielock.limiter.http.rules[1].limits=1/1s", "pielock.limiter.http.rules[1]: give either 'limit'",
                "not both", "pielock.limiter.http.rules[1].paths=/b", "pielock.limiter.http.rules[1].key='k'",
                "pielock.limiter.http.rules[1].limit=free");
    }

    @Test
    void neitherALimitNorLimitsFail() {
        fails("pielock.limiter.http.rules[1].paths=/b", "pielock.limiter.http.rules[1]: give either 'limit'",
                "one of them", "pielock.limiter.http.rules[1].key='k'");
    }

    @Test
    void anUnknownNamedLimitListsTheKnownOnes() {
        fails("pielock.limiter.http.rules[0].limit=gold", "pielock.limiter.http.rules[0].limit",
                "no named limit 'gold'; known names: [free]");
    }

    @Test
    void badInlineLimitsNameTheProperty() {
        fails("pielock.limiter.http.rules[1].limits=5 per second", "pielock.limiter.http.rules[1].limits",
                "'5 per second' is not 'count/window'", "pielock.limiter.http.rules[1].paths=/b",
                "pielock.limiter.http.rules[1].key='k'");
    }

    @Test
    void aWholeNumberOrAnExpressionIsAValidCost() {
        this.runner.withPropertyValues("pielock.limiter.http.rules[0].cost=3")
            .run(context -> assertThat(context.getBean(HttpRateLimitRules.class).rules().get(0).cost().text())
                .isEqualTo("3"));
        this.runner.withPropertyValues("pielock.limiter.http.rules[0].cost=#request.getHeader('X-Batch-Size')")
            .run(context -> assertThat(context.getBean(HttpRateLimitRules.class).rules().get(0).cost().isExpression())
                .isTrue());
    }

    @Test
    void aCostUnderOneFails() {
        fails("pielock.limiter.http.rules[0].cost=0", "pielock.limiter.http.rules[0].cost",
                "a request costs at least 1 permit, but the cost was 0");
        fails("pielock.limiter.http.rules[0].cost=-2", "pielock.limiter.http.rules[0].cost", "the cost was -2");
    }

    @Test
    void anUnparsableCostNamesTheCostProperty() {
        fails("pielock.limiter.http.rules[0].cost=#request.getHeader(", "pielock.limiter.http.rules[0].cost",
                "is neither a whole number nor a SpEL expression");
    }

    @Test
    void aBlankCostFails() {
        fails("pielock.limiter.http.rules[0].cost= ", "pielock.limiter.http.rules[0].cost",
                "a rule's cost must not be empty");
    }

    @Test
    void aBadMethodNamesIt() {
        fails("pielock.limiter.http.rules[0].methods=GET,PO ST", "pielock.limiter.http.rules[0].methods[1]",
                "is not an HTTP method");
    }

    private void fails(String property, String named, String problem, String... more) {
        this.runner.withPropertyValues(property).withPropertyValues(more).run(context -> {
            assertThat(context).hasFailed();
            assertThat(Causes.find(context.getStartupFailure(), InvalidPielockPropertyException.class))
                .hasMessageContaining(named).hasMessageContaining(problem);
        });
    }
}
