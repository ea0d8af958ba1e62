package io.pielock.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;

import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitCatalog;
import io.pielock.limiter.TimeUnit;
import io.pielock.test.CapturedLogs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan of a request over {@link HttpRateLimitRules}: a rule that cannot be applied is logged at most once per
 * interval, and the next line counts the ones left out.
 */
class HttpRateLimitRulesTest {

    private static final SpelExpressionParser parser = new SpelExpressionParser();

    @Test
    void aRulesErrorsAreLoggedOncePerIntervalAndTheNextLineCountsTheOnesLeftOut() throws Exception {
        HttpRateLimitRules rules = new HttpRateLimitRules(List.of(rule("keyless", "null", HttpRuleCost.ONE)), false,
                Duration.ofMillis(200));
        try (CapturedLogs logs = CapturedLogs.capture()) {
            for (int i = 0; i < 4; i++) {
                assertThat(plan(rules).limited()).as("let through without the rule").isFalse();
            }
            assertThat(reports(logs)).singleElement().asString().doesNotContain("more like it");
            Thread.sleep(600); // well over the interval
            plan(rules);
            assertThat(reports(logs)).hasSize(2).last().asString()
                .contains("[3 more like it not logged since the last report]")
                .contains("let through without this rule");
        }
    }

    @Test
    void eachRuleHasItsOwnLogInterval() {
        HttpRateLimitRules rules = new HttpRateLimitRules(List.of(rule("first", "null", HttpRuleCost.ONE),
                rule("second", "'k'", HttpRuleCost.expression("'lots'", parser.parseExpression("'lots'")))), false);
        try (CapturedLogs logs = CapturedLogs.capture()) {
            plan(rules);
            plan(rules);
            assertThat(reports(logs)).hasSize(2).anySatisfy(line -> assertThat(line).contains("rule first (key: null)"))
                .anySatisfy(line -> assertThat(line).contains("rule second (cost: 'lots') gave 'lots'"));
        }
    }

    @Test
    void denyingARequestForAFailedRuleDecidesNoOtherRule() {
        HttpRateLimitRules rules = new HttpRateLimitRules(List.of(rule("fine", "'k'", HttpRuleCost.of(2)),
                rule("bad", "'k'", HttpRuleCost.expression("-1", parser.parseExpression("-1")))), true);
        HttpRateLimitRules.Plan plan = plan(rules);
        assertThat(plan.ruleFailed()).isTrue();
        assertThat(plan.keys()).isEmpty();
    }

    @Test
    void eachMatchingRuleCarriesItsOwnCost() {
        HttpRateLimitRules rules = new HttpRateLimitRules(List.of(rule("two", "'k'", HttpRuleCost.of(2)),
                rule("header", "'k'", HttpRuleCost.expression("'7'", parser.parseExpression("'7'")))), true);
        HttpRateLimitRules.Plan plan = plan(rules);
        assertThat(plan.costs()).containsExactly(2L, 7L);
        assertThat(plan.name()).isEqualTo("two,header");
    }

    private static List<String> reports(CapturedLogs logs) {
        return logs.text().lines().filter(line -> line.startsWith("ERROR") && line.contains("Rate limit rule"))
            .toList();
    }

    private static HttpRateLimitRules.Plan plan(HttpRateLimitRules rules) {
        return rules.plan("GET", PathContainer.parsePath("/x"), new Object(), null, LimitCatalog.of(Map.of()));
    }

    private static HttpRateLimitRule rule(String name, String key, HttpRuleCost cost) {
        return new HttpRateLimitRule(name, List.of(PathPatternParser.defaultInstance.parse("/x")), Set.of(), key,
                parser.parseExpression(key), null, List.of(Limit.of(10, TimeUnit.MINUTE)), cost);
    }
}
